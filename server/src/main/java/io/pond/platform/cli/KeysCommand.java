package io.pond.platform.cli;

import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.apikey.domain.ApiKey;
import io.pond.platform.apikey.domain.KeyKind;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.pond.platform.security.Role;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys (write keys for sources, server keys for the API).",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand extends CommandGroup {

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print its secret (shown once).")
  static final class Create implements Callable<Integer> {
    @CommandLine.ParentCommand KeysCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--kind", required = true, description = "write or server")
    String kind;

    @Option(names = "--name", required = true, description = "What the key is for, e.g. 'web site' or 'ERP sync'")
    String name;

    @Option(names = "--source", description = "Source of a write key (created when new; default: the key's name)")
    String source;

    @Option(names = "--role", description = "Role of a server key: admin, operator, analyst or viewer (default admin)")
    String role;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      KeyKind keyKind;
      Role keyRole;
      try {
        keyKind = KeyKind.fromWire(kind);
        keyRole = role == null ? null : Role.fromWire(role);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("--kind must be write or server; --role admin, operator, analyst or viewer");
        return 2;
      }
      String keySource = keyKind == KeyKind.WRITE && source == null ? name : source;
      return Jobs.withOltpOnly(
          parent.dataDir(),
          context -> {
            try {
              var created =
                  context
                      .getBean(ApiKeys.class)
                      .create(new ApiKeys.NewKey(keyKind, name, keySource, keyRole), Actors.cli());
              out.printf("Created %s key %d '%s'%n", keyKind.wire(), created.key().id(), name);
              out.println(created.secret());
              out.println("Keep the secret now: Pond stores only its hash.");
              return 0;
            } catch (PondException e) {
              spec.commandLine().getErr().println(e.getMessage());
              return 1;
            }
          });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (secrets are never shown).")
  static final class ListKeys implements Callable<Integer> {
    @CommandLine.ParentCommand KeysCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<ApiKey> keys = Jobs.withOltpOnly(parent.dataDir(), c -> c.getBean(ApiKeys.class).list());
      out.printf("%-5s %-7s %-14s %-20s %-16s %-9s %s%n", "ID", "KIND", "PREFIX", "NAME", "SOURCE/ROLE", "STATE", "CREATED");
      for (ApiKey k : keys) {
        out.printf(
            Locale.ROOT,
            "%-5d %-7s %-14s %-20s %-16s %-9s %s%n",
            k.id(),
            k.kind().wire(),
            k.prefix() + "…",
            k.name(),
            k.source().map(ApiKey.Source::name).or(k::role).orElse(""),
            k.revoked() ? "revoked" : "active",
            k.createdAt());
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id; it is refused from then on.")
  static final class Revoke implements Callable<Integer> {
    @CommandLine.ParentCommand KeysCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The key's id, from 'pond keys list'")
    long id;

    @Override
    public Integer call() {
      return Jobs.withOltpOnly(
          parent.dataDir(),
          context -> {
            try {
              ApiKey key = context.getBean(ApiKeys.class).revoke(id, Actors.cli());
              spec.commandLine().getOut().printf("Revoked %s key %d '%s'%n", key.kind().wire(), key.id(), key.name());
              return 0;
            } catch (PondException e) {
              spec.commandLine().getErr().println(e.getMessage());
              return 1;
            }
          });
    }
  }
}
