package io.kfpci.local;

import java.util.Locale;

/** Where container tasks run: on the agent itself, or in their image with podman or docker. */
public enum Engine {
  /** The command runs on the agent (Python components in managed venvs); the image is recorded. */
  LOCAL("local"),
  PODMAN("podman"),
  DOCKER("docker");

  private final String command;

  Engine(String command) {
    this.command = command;
  }

  /** The CLI spelling, and for podman and docker the program that runs images. */
  public String command() {
    return command;
  }

  public static Engine parse(String value) {
    for (Engine e : values()) {
      if (e.command.equals(value.strip().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown engine '" + value + "': use local, podman or docker");
  }
}
