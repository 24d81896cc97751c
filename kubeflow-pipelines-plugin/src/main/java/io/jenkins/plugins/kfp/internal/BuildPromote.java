package io.jenkins.plugins.kfp.internal;

import io.kfpci.KfpException;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.deploy.ModelArtifacts;
import io.kfpci.deploy.ModelPromoter;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunSummary;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kfpDeploy promote:} without Jenkins, as {@code kfpci deploy --promote} does it: the run's
 * model goes to a release prefix of the endpoint's object store with a {@code release.json}
 * ({@link ModelPromoter}). The gate was checked on the controller from the summary the build stored
 * ({@link BuildDeploy#refusal}); this promotes the model that summary names. A local run's model is
 * uploaded from its run directory, so that part runs on the agent holding it ({@link AgentPromote});
 * a KFP run's model is copied inside the store, from the controller.
 */
public final class BuildPromote {
  private BuildPromote() {}

  /**
   * The object store as the endpoint's settings and credential give it, for the one call that
   * needs it (it may travel to the agent with {@link AgentPromote}); never persisted or printed.
   */
  public record Store(String endpoint, String region, String accessKey, String secretKey, String defaultBucket)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public static Store of(ObjectStoreOptions options) {
      return new Store(options.endpoint().toString(), options.region(), options.accessKey(), options.secretKey(),
          options.defaultBucket());
    }

    ObjectStoreOptions options() {
      return ObjectStoreOptions.builder().endpoint(endpoint).region(region).credentials(accessKey, secretKey)
          .defaultBucket(defaultBucket).build();
    }

    @Override
    public String toString() {
      return "Store[endpoint=" + endpoint + ", region=" + region + ", accessKey="
          + (accessKey == null ? "none" : "set") + ", secretKey=" + (secretKey == null ? "none" : "****")
          + ", defaultBucket=" + defaultBucket + "]";
    }
  }

  /**
   * What was promoted, or why not.
   *
   * @param uri where the model now is (what KServe serves), "" on error
   * @param release the release record's URI, "" on error
   * @param model the model's {@code task-id/output}
   * @param lines one line per object written
   * @param error the core's message when it failed, else null
   */
  public record Promoted(String uri, String release, String model, List<String> lines, String error)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public Promoted {
      lines = List.copyOf(lines);
    }
  }

  /** Whether the run ran locally: its model's files are in its run directory, on the agent that ran it. */
  public static boolean local(RunSummary summary) {
    return "local".equals(summary.location().kind());
  }

  /**
   * Promotes the model ({@code task-id/output}, "" for the run's only one) of {@code summary}.
   *
   * @param runDirectory the local run's directory, or null for a KFP run (copied inside the store)
   * @param gitCommit recorded with the release, or null
   */
  public static Promoted promote(RunSummary summary, String model, Path runDirectory, String target, String gitCommit,
      Store store, Clock clock) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    String id = model;
    try {
      ArtifactSummary artifact = ModelArtifacts.select(summary, model.isEmpty() ? null : model);
      id = ModelArtifacts.id(artifact);
      ModelPromoter.Promotion promotion = new ModelPromoter(store.options(), clock).promote(summary, artifact,
          runDirectory, target, gitCommit, lines::add);
      return new Promoted(promotion.uri(), promotion.release(), id, lines, null);
    } catch (KfpException e) {
      return new Promoted("", "", id, lines, e.getMessage());
    } catch (IllegalArgumentException e) {
      // The endpoint's object store settings do not make a store (its URL); they are the administrator's to fix.
      return new Promoted("", "", id, lines, "the object store settings are not usable: " + e.getMessage());
    }
  }
}
