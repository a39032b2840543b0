package io.pond.platform.security;

import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.member.MemberSessions;
import io.pond.platform.user.ConsoleSessions;
import java.util.Arrays;
import io.pond.platform.user.Users;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may call what. The management API ({@code /api/**}) and the non-public actuator endpoints need
 * a console session or a server key (Bearer) or a user (HTTP Basic, for scripts); ingestion paths
 * authenticate their own write keys; console sign-in, health, OpenAPI and static pages are public.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@EnableMethodSecurity
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http, ApiKeys keys, ConsoleSessions sessions, MemberSessions members, ProblemResponses problems) {
    String[] staff = Arrays.stream(Role.values()).map(Role::name).toArray(String[]::new);
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/info",
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/swagger-ui.html",
                        "/swagger-ui/**",
                        "/error",
                        "/hooks/**") // channel pushes: each checks its shop's own signature (commerce)
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/api/v1/auth/login")
                    .permitAll()
                    // the member center: members sign in with a one-time code, then see only themselves
                    .requestMatchers("/api/v1/member/auth/**")
                    .permitAll()
                    .requestMatchers("/api/v1/member/**")
                    .hasRole("MEMBER")
                    .requestMatchers("/api/v1/keys/**", "/api/v1/keys", "/api/v1/audit", "/api/v1/users/**", "/api/v1/users")
                    .hasRole("ADMIN")
                    .requestMatchers("/api/**", "/actuator/**")
                    .hasAnyRole(staff) // never members
                    .anyRequest()
                    .permitAll())
        .httpBasic(basic -> basic.authenticationEntryPoint(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .addFilterBefore(
            new BearerAuthenticationFilter(keys, sessions, members, problems), BasicAuthenticationFilter.class);
    return http.build();
  }

  @Bean
  UserDetailsService userDetailsService(Users users) {
    return username ->
        users
            .findCredentials(username)
            .map(
                c ->
                    new UserAccount(
                        new UserPrincipal(c.user().id(), c.user().username(), c.user().role(), c.user().scope()),
                        c.passwordHash(),
                        c.user().disabled()))
            .orElseThrow(() -> new UsernameNotFoundException(username));
  }
}
