package io.pond;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Domain code ({@code io.pond.<module>[.<feature>].domain}) is plain Java: no Spring, no JDBC, no
 * servlet API, so rules can be tested without a container. Each rule must match at least one class;
 * a rule that matches nothing is broken, not passing.
 */
class ArchitectureTest {

  private static final JavaClasses POND =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.pond");

  @Test
  void domain_packages_do_not_depend_on_spring() {
    rule("org.springframework..").check(POND);
  }

  @Test
  void domain_packages_do_not_depend_on_jdbc() {
    rule("java.sql..", "javax.sql..").check(POND);
  }

  @Test
  void domain_packages_do_not_depend_on_the_web_layer() {
    rule("jakarta.servlet..", "tools.jackson..", "com.fasterxml.jackson.databind..").check(POND);
  }

  private static ArchRule rule(String... forbidden) {
    return noClasses()
        .that()
        .resideInAPackage("io.pond..domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden)
        .allowEmptyShould(false);
  }
}
