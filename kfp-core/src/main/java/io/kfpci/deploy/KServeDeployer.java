package io.kfpci.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Creates or updates an InferenceService and waits for its Ready condition. When it does not
 * become ready in time, or KServe reports that the model failed to load, the previous spec is
 * restored (or the new service deleted), so a failed deploy leaves serving as it was. Runs on the
 * calling thread; every call to the API server has the client's deadlines.
 */
public final class KServeDeployer {
  /** What a deploy came to. {@code created}: there was no service of that name before. */
  public record Outcome(String name, String namespace, boolean created, String url) {}

  private final KubernetesClient client;
  private final Duration timeout;
  private final Duration pollInterval;

  public KServeDeployer(KubernetesClient client, Duration timeout, Duration pollInterval) {
    this.client = Objects.requireNonNull(client, "client");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /**
   * Applies {@code manifest} and waits until it is ready.
   *
   * @param progress gets one line per change of the service's state
   * @throws DeployException when it could not be applied, or did not become ready and was rolled back
   */
  public Outcome deploy(GenericKubernetesResource manifest, Consumer<String> progress)
      throws DeployException, InterruptedException {
    String name = manifest.getMetadata().getName();
    String namespace = manifest.getMetadata().getNamespace();
    Resource<GenericKubernetesResource> service =
        client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace(namespace).withName(name);
    GenericKubernetesResource previous = call("read InferenceService " + namespace + "/" + name, service::get);
    if (previous == null) {
      call("create InferenceService " + namespace + "/" + name,
          () -> client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace(namespace).resource(manifest).create());
      progress.accept("created InferenceService " + namespace + "/" + name);
    } else {
      GenericKubernetesResource updated = withSpecOf(previous, manifest);
      call("update InferenceService " + namespace + "/" + name,
          () -> client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace(namespace).resource(updated).update());
      progress.accept("updated InferenceService " + namespace + "/" + name + " (was serving " + storageUri(previous) + ")");
    }
    String failure;
    try {
      failure = awaitReady(service, progress);
    } catch (InterruptedException e) {
      rollBack(service, previous, progress);
      throw e;
    }
    if (failure == null) {
      GenericKubernetesResource now = call("read InferenceService " + namespace + "/" + name, service::get);
      Object url = status(now).get("url");
      progress.accept("InferenceService " + namespace + "/" + name + " is ready" + (url == null ? "" : " at " + url));
      return new Outcome(name, namespace, previous == null, url == null ? null : url.toString());
    }
    String rolledBack = rollBack(service, previous, progress);
    throw new DeployException("InferenceService " + namespace + "/" + name + " " + failure + "; " + rolledBack);
  }

  /** Null when ready, else why it is not (timed out, or KServe gave up on the model). */
  private String awaitReady(Resource<GenericKubernetesResource> service, Consumer<String> progress)
      throws DeployException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    while (true) {
      GenericKubernetesResource now = call("read InferenceService", service::get);
      if (now == null) {
        return "was deleted while waiting for it";
      }
      Map<String, Object> status = status(now);
      Map<String, Object> ready = condition(status, "Ready");
      String state = ready == null ? "no Ready condition yet"
          : "Ready=" + ready.get("status") + (ready.get("reason") == null ? "" : " (" + ready.get("reason")
              + (ready.get("message") == null ? "" : ": " + ready.get("message")) + ")");
      if (!state.equals(last)) {
        progress.accept("waiting: " + state);
        last = state;
      }
      if (ready != null && "True".equals(ready.get("status")) && caughtUp(now, status)) {
        return null;
      }
      String failed = modelFailure(status);
      if (failed != null) {
        return "failed to load its model: " + failed;
      }
      if (System.nanoTime() >= deadline) {
        return "did not become ready within " + describe(timeout) + " (last: " + state + ")";
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  /** KServe's status is about the spec it last saw; an older observation is not about ours. */
  private static boolean caughtUp(GenericKubernetesResource now, Map<String, Object> status) {
    Long generation = now.getMetadata().getGeneration();
    Object observed = status.get("observedGeneration");
    return generation == null || !(observed instanceof Number n) || n.longValue() >= generation;
  }

  @SuppressWarnings("unchecked")
  private static String modelFailure(Map<String, Object> status) {
    Object modelStatus = status.get("modelStatus");
    if (!(modelStatus instanceof Map<?, ?> m)) {
      return null;
    }
    Object transition = m.get("transitionStatus");
    Object states = m.get("states");
    boolean failed = "BlockedByFailedLoad".equals(transition) || "InvalidSpec".equals(transition)
        || (states instanceof Map<?, ?> s && "FailedToLoad".equals(s.get("targetModelState")));
    if (!failed) {
      return null;
    }
    Object info = m.get("lastFailureInfo");
    Object message = info instanceof Map<?, ?> i ? ((Map<String, Object>) i).get("message") : null;
    return transition + (message == null ? "" : " (" + message + ")");
  }

  private String rollBack(Resource<GenericKubernetesResource> service, GenericKubernetesResource previous,
      Consumer<String> progress) throws DeployException {
    if (previous == null) {
      call("delete the new InferenceService", service::delete);
      progress.accept("rolled back: deleted the new InferenceService");
      return "rolled back: deleted it (there was none before)";
    }
    GenericKubernetesResource now = call("read InferenceService", service::get);
    if (now == null) {
      call("restore InferenceService", () -> client.genericKubernetesResources(InferenceServices.CONTEXT)
          .inNamespace(previous.getMetadata().getNamespace()).resource(stripped(previous)).create());
    } else {
      call("restore InferenceService", () -> client.genericKubernetesResources(InferenceServices.CONTEXT)
          .inNamespace(now.getMetadata().getNamespace()).resource(withSpecOf(now, previous)).update());
    }
    progress.accept("rolled back: restored the previous spec (serving " + storageUri(previous) + ")");
    return "rolled back: restored the previous spec (serving " + storageUri(previous) + ")";
  }

  private static GenericKubernetesResource withSpecOf(GenericKubernetesResource target, GenericKubernetesResource source) {
    GenericKubernetesResource copy = new GenericKubernetesResource();
    copy.setApiVersion(target.getApiVersion());
    copy.setKind(target.getKind());
    copy.setMetadata(target.getMetadata());
    if (source.getMetadata().getAnnotations() != null) {
      Map<String, String> annotations = new java.util.LinkedHashMap<>(
          target.getMetadata().getAnnotations() == null ? Map.of() : target.getMetadata().getAnnotations());
      annotations.putAll(source.getMetadata().getAnnotations());
      copy.getMetadata().setAnnotations(annotations);
    }
    copy.setAdditionalProperties(new java.util.LinkedHashMap<>(target.getAdditionalProperties()));
    copy.getAdditionalProperties().put("spec", source.getAdditionalProperties().get("spec"));
    // The status is the controller's, about the old spec: a real API server ignores it on update
    // (it is a subresource) and observedGeneration tells old from new; sent without it, a server
    // that does keep it (a test double) cannot report the old spec as ready either.
    copy.getAdditionalProperties().remove("status");
    return copy;
  }

  private static GenericKubernetesResource stripped(GenericKubernetesResource r) {
    GenericKubernetesResource copy = withSpecOf(r, r);
    copy.getMetadata().setResourceVersion(null);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource r) {
    Object status = r == null ? null : r.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(Map<String, Object> status, String type) {
    Object conditions = status.get("conditions");
    if (conditions instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
          return (Map<String, Object>) m;
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  static String storageUri(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    if (spec instanceof Map<?, ?> s && s.get("predictor") instanceof Map<?, ?> p && p.get("model") instanceof Map<?, ?> m) {
      Object uri = ((Map<String, Object>) m).get("storageUri");
      return uri == null ? "(no storageUri)" : uri.toString();
    }
    return "(no storageUri)";
  }

  private static String describe(Duration d) {
    return d.toSeconds() >= 60 && d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toMillis() % 1000 == 0
        ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private interface Call<T> {
    T run();
  }

  private <T> T call(String what, Call<T> call) throws DeployException {
    try {
      return call.run();
    } catch (KubernetesClientException e) {
      String server = client.getConfiguration().getMasterUrl();
      if (e.getCode() == 404 && e.getMessage() != null && e.getMessage().contains("the server could not find the requested resource")) {
        throw new DeployException("cannot " + what + " at " + server + ": the cluster has no InferenceService resource "
            + "(is KServe installed?)", e, false);
      }
      throw new DeployException("cannot " + what + " at " + server + ": "
          + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " + (e.getStatus() == null ? "" : e.getStatus().getMessage())
              : "cannot reach the API server"), e, e.getCode() == 0 || e.getCode() >= 500);
    }
  }
}
