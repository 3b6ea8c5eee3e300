package io.actorvmm.runtime.auth;

import io.actorvmm.domain.auth.ApiToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrator token of a data directory: created at its first start, written to
 * {@code <data-dir>/admin.token} readable by its owner only, and registered with the cluster (as a
 * token of the built-in user admin) at every start until the cluster confirms it. Only the file's
 * place is ever logged.
 */
public final class AdminToken {
  /** The file's name in the data directory. */
  public static final String FILE = "admin.token";
  /** Who registers it. */
  public static final String WHO = "system:bootstrap";
  private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

  private final Path file;
  private final ApiToken token;
  private volatile boolean registered;

  private AdminToken(Path file, ApiToken token) {
    this.file = file;
    this.token = token;
  }

  /** The admin token of {@code dataDir}: read from its file, or created there when there is none. */
  public static AdminToken load(Path dataDir) {
    Path file = dataDir.resolve(FILE).toAbsolutePath();
    try {
      if (!Files.exists(file)) {
        // written whole beside it, then linked into place: two nodes starting on one data directory
        // agree on one token (the link fails for the second), and no reader sees half a file
        ApiToken fresh = ApiToken.generate();
        Path tmp = Files.createTempFile(dataDir, ".admin-", ".token",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
          Files.writeString(tmp, fresh.text() + "\n", StandardCharsets.US_ASCII);
          Files.createLink(file, tmp);
          LOG.info("created the administrator token of this data directory: {} (readable by its owner only)", file);
          return new AdminToken(file, fresh);
        } catch (FileAlreadyExistsException another) {
          // another node made it first: use that one
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      ApiToken t = ApiToken.parse(Files.readString(file, StandardCharsets.US_ASCII));
      if (t == null) throw new IllegalStateException("the administrator token file " + file + " does not hold a token");
      LOG.info("the administrator token of this data directory is in {}", file);
      return new AdminToken(file, t);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the administrator token file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The token file. */
  public Path file() {
    return file;
  }

  /** The token. */
  public ApiToken token() {
    return token;
  }

  /** True once the cluster confirmed the token (or refused it as a conflict). */
  public boolean registered() {
    return registered;
  }

  /**
   * Registers the token with the cluster, asking again every second until the cluster answers (it
   * answers once this node has joined); stops asking when the node stops.
   */
  public void register(ActorSystem<?> system) {
    CompletionStage<TokenState> reply = ClusterSharding.get(system).entityRefFor(TokenEntity.ENTITY_KEY, token.id())
        .<TokenState>askWithStatus(r -> new TokenEntity.Issue(UserState.ADMIN, token.digest(), List.of(), null,
            "admin token of " + file.getParent(), WHO, r), Duration.ofSeconds(5));
    reply.whenComplete((s, e) -> {
      if (e == null) {
        registered = true;
      } else if (e instanceof StatusReply.ErrorMessage || e.getCause() instanceof StatusReply.ErrorMessage) {
        registered = true;
        LOG.warn("the cluster refused the administrator token of {}: {}", file, e.getMessage());
      } else if (!system.whenTerminated().isCompleted()) {
        system.scheduler().scheduleOnce(Duration.ofSeconds(1), () -> register(system), system.executionContext());
      }
    });
  }
}
