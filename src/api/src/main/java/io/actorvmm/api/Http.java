package io.actorvmm.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.actorvmm.api.model.ErrorBody;
import io.actorvmm.api.model.Json;
import io.actorvmm.api.model.StrictJson;
import io.actorvmm.domain.Rejection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.pattern.StatusReply;

/** The transport's one mapping: values to JSON answers, refusals to 400/404/409, timeouts to 503. */
public final class Http {
  /** The wire format's mapper. */
  public static final ObjectMapper JSON = Json.mapper();

  private Http() {}

  /** A JSON answer with {@code status}. */
  public static HttpResponse json(StatusCode status, Object body) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write answer: " + e.getMessage(), e);
    }
  }

  /** A 200 JSON answer. */
  public static HttpResponse ok(Object body) {
    return json(StatusCodes.OK, body);
  }

  /** An error answer with a one-line message. */
  public static HttpResponse error(StatusCode status, String message) {
    return json(status, new ErrorBody(oneLine(message)));
  }

  /** Bad input. */
  public static HttpResponse badRequest(String message) {
    return error(StatusCodes.BAD_REQUEST, message);
  }

  /** A body over the size limit. */
  public static HttpResponse tooLarge(long limit) {
    return error(StatusCodes.PAYLOAD_TOO_LARGE, "body: larger than the limit of " + limit + " bytes");
  }

  /** A body that is not JSON. */
  public static HttpResponse notJson() {
    return error(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "body: Content-Type must be application/json");
  }

  /** Unknown id. */
  public static HttpResponse notFound(String message) {
    return error(StatusCodes.NOT_FOUND, message);
  }

  /** Thrown when a named thing does not exist: answered with 404. */
  public static final class NotFound extends RuntimeException {
    /** A 404 with this one-line message. */
    public NotFound(String message) {
      super(message);
    }
  }

  /** Maps a failed ask to its answer: a refusal by its kind, a timeout to 503. */
  public static HttpResponse failure(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof StatusReply.ErrorMessage || e.getClass().getName().endsWith("ErrorMessage")) {
      Rejection r = Rejection.decode(e.getMessage());
      return switch (r.kind()) {
        case INVALID -> error(StatusCodes.BAD_REQUEST, r.message());
        case NOT_FOUND -> error(StatusCodes.NOT_FOUND, r.message());
        case CONFLICT -> error(StatusCodes.CONFLICT, r.message());
        case UNAVAILABLE -> error(StatusCodes.SERVICE_UNAVAILABLE, r.message());
      };
    }
    if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
      return error(StatusCodes.SERVICE_UNAVAILABLE, "the cluster did not answer in time; try again");
    }
    if (e instanceof EntityStreamSizeException size) return tooLarge(size.limit());
    if (e instanceof IllegalArgumentException) return badRequest(e.getMessage());
    if (e instanceof NotFound) return notFound(e.getMessage());
    return error(StatusCodes.SERVICE_UNAVAILABLE, "request failed: " + e.getMessage());
  }

  /** Parses a JSON body into {@code type} strictly; throws IllegalArgumentException with a one-line message. */
  public static <T> T parse(String body, Class<T> type) {
    return StrictJson.read(body, type);
  }

  private static String oneLine(String s) {
    if (s == null) return "error";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
