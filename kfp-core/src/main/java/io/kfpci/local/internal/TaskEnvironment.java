package io.kfpci.local.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment a task process starts with on this machine (docs/local-runner.md, "The task's
 * environment"). By default it is minimal: what a program needs to run (PATH, HOME, USER, LOGNAME,
 * SHELL, TZ, the locale LANG, LANGUAGE and LC_*), to reach the network the way this machine does
 * (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, ALL_PROXY in both cases; the CA bundle variables
 * SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE), and what a component's own pip needs to
 * find its index (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_TRUSTED_HOST, PIP_CERT,
 * PIP_CONFIG_FILE), and what a GPU task needs to find and pick its devices (LD_LIBRARY_PATH,
 * CUDA_HOME, CUDA_VISIBLE_DEVICES, NVIDIA_VISIBLE_DEVICES); then the runner's own (TMPDIR,
 * PYTHONUNBUFFERED, and VIRTUAL_ENV with PATH for a managed venv) and the task's env from the
 * pipeline, which win. Everything else of the agent (cloud credentials, CI tokens) stays out,
 * unless the run asks to inherit it all ({@code --inherit-env}, the behaviour before this rule).
 * Stateless.
 */
public final class TaskEnvironment {
  static final Set<String> PASSED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TZ", "LANG", "LANGUAGE",
      "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy",
      "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
      "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST", "PIP_CERT", "PIP_CONFIG_FILE",
      "LD_LIBRARY_PATH", "CUDA_HOME", "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES");

  private TaskEnvironment() {}

  /** True for a variable of this machine that a task gets by default. */
  public static boolean isPassed(String name) {
    return PASSED.contains(name) || name.startsWith("LC_");
  }

  /**
   * The base environment of a task: {@code agent} filtered by {@link #isPassed}, or all of it when
   * {@code inherit}; sorted by name (for a stable task log and test).
   */
  public static Map<String, String> base(Map<String, String> agent, boolean inherit) {
    Map<String, String> out = new TreeMap<>();
    agent.forEach((k, v) -> {
      if (inherit || isPassed(k)) {
        out.put(k, v);
      }
    });
    return new LinkedHashMap<>(out);
  }
}
