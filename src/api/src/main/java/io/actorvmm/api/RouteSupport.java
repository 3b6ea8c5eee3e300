package io.actorvmm.api;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.Ids;
import io.actorvmm.domain.auth.Caller;
import io.actorvmm.runtime.auth.DenialEvent;
import io.actorvmm.runtime.auth.DenialLog;
import io.actorvmm.runtime.AvmRuntime;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** What every group of routes shares: the node, the ask timeout, the caller's name, and answer helpers. */
abstract class RouteSupport extends AllDirectives {
  protected final AvmRuntime node;
  protected final ClusterSharding sharding;
  protected final Duration timeout;

  RouteSupport(AvmRuntime node, Duration timeout) {
    this.node = node;
    this.sharding = ClusterSharding.get(node.system());
    this.timeout = timeout;
  }

  /** The routes of this group. */
  abstract Route routes();

  /** Runs {@code inner} with the authenticated caller as commands carry it (principal, token id, annotation). */
  protected Route withWho(Function<String, Route> inner) {
    return withPrincipal(p -> inner.apply(p.who()));
  }

  /** Runs {@code inner} with the principal the gate authenticated ({@link ApiServer#PRINCIPAL}). */
  protected Route withPrincipal(Function<Principal, Route> inner) {
    return extractRequest(req -> inner.apply(req.getAttribute(ApiServer.PRINCIPAL)
        .orElseThrow(() -> new IllegalStateException("the request passed no authentication"))));
  }

  /** Records a refusal in the node's denial log: who, what, why; never the token, only its id. */
  static void deny(AvmRuntime node, int status, String method, String path, String privilege, String object, String reason,
                   String who, String tokenId, String note) {
    String shortPath = path.length() > 200 ? path.substring(0, 200) : path;
    node.denials().tell(new DenialLog.Record(new DenialEvent.RequestDenied(status, method, shortPath, privilege, object,
        reason, EventMeta.now(new Caller(who, tokenId, note).text()))));
  }

  /**
   * Runs {@code inner} with the request body as text, or with an empty text when there is none; a body
   * that does not say it is JSON is refused with 415 before it is read.
   */
  protected Route withBody(Function<String, Route> inner) {
    return extractRequestEntity(e -> {
      boolean empty = e.isKnownEmpty() || e.getContentLengthOption().orElse(-1L) == 0L;
      if (!empty && !e.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) return complete(Http.notJson());
      return entity(Unmarshaller.entityToString(), inner);
    });
  }

  /** Completes with the answer {@code work} gives, mapping any failure (thrown or asynchronous) to its status. */
  protected Route answer(Supplier<CompletionStage<HttpResponse>> work) {
    CompletionStage<HttpResponse> response;
    try {
      response = work.get().exceptionally(Http::failure);
    } catch (RuntimeException e) {
      response = java.util.concurrent.CompletableFuture.completedFuture(Http.failure(e));
    }
    return completeWithFuture(response);
  }

  /** Throws a bad-request error when {@code id} is not a valid entity id. */
  protected static void requireId(String what, String id) {
    if (!Ids.valid(id)) throw new IllegalArgumentException(Ids.problem(what, id));
  }
}
