package io.actorvmm.api;

import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.view.EntityType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** /api/audit: the journal as history — log, one entity's history, replay at a time. */
final class AuditRoutes extends RouteSupport {
  private static final int DEFAULT_LIMIT = 1000;

  AuditRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
  }

  @Override
  Route routes() {
    return pathPrefix("audit", () -> concat(
        pathEnd(() -> get(() -> parameterOptional("since", since -> parameterOptional("entity", entity ->
            parameterOptional("limit", limit -> answer(() -> node.journal()
                .log(since.map(AuditRoutes::instant).orElse(null), entity.map(EntityType::parseRef).orElse(null),
                    limit.map(AuditRoutes::limit).orElse(DEFAULT_LIMIT))
                .thenApply(Http::ok))))))),
        path("denied", () -> get(() -> parameterOptional("since", since -> parameterOptional("limit", limit ->
            answer(() -> node.journal().denied(since.map(AuditRoutes::instant).orElse(null),
                    limit.map(AuditRoutes::limit).orElse(DEFAULT_LIMIT))
                .thenApply(Http::ok)))))),
        path(PathMatchers.segment("history").slash(PathMatchers.segment()), ref -> get(() -> answer(() ->
            node.journal().history(EntityType.parseRef(ref)).thenApply(entries -> entries.isEmpty()
                ? Http.notFound("no events for " + ref) : Http.ok(entries))))),
        path(PathMatchers.segment("replay").slash(PathMatchers.segment()), ref -> get(() ->
            parameterOptional("at", at -> answer(() -> {
              EntityType.Ref r = EntityType.parseRef(ref);
              Instant t = at.map(AuditRoutes::instant).orElseThrow(() -> new IllegalArgumentException("at is missing"));
              return node.journal().replay(r, t).thenApply(res -> res.events() == 0
                  ? Http.notFound("no events for " + ref + " at or before " + t) : Http.ok(res));
            }))))));
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time '" + io.actorvmm.domain.Limits.clip(text) + "' is not an ISO-8601 instant such as 2026-11-21T10:42:00Z");
    }
  }

  private static int limit(String text) {
    try {
      int n = Integer.parseInt(text);
      if (n < 1) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be a whole number of at least 1, not '" + io.actorvmm.domain.Limits.clip(text) + "'");
    }
  }
}
