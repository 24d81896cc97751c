package io.kfpci.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the emulator by hand: {@code java -jar kfp-emulator/target/kfp-emulator.jar --port 8888}.
 * Options: {@code --port N} (default 8888), {@code --swagger-dir DIR}, {@code --multi-user},
 * {@code --step-millis N} (how fast runs progress, default 1000). Runs until interrupted.
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    KfpEmulator.Builder builder = KfpEmulator.builder().port(8888);
    long stepMillis = 1000;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--port" -> builder.port(number(value(args, ++i, arg), arg));
        case "--swagger-dir" -> builder.swaggerDir(Path.of(value(args, ++i, arg)));
        case "--multi-user" -> builder.multiUser(true);
        case "--step-millis" -> stepMillis = number(value(args, ++i, arg), arg);
        case "--help", "-h" -> {
          System.out.println("usage: kfp-emulator [--port N] [--swagger-dir DIR] [--multi-user] [--step-millis N]");
          return;
        }
        default -> {
          System.err.println("kfp-emulator: unknown option " + arg + " (try --help)");
          System.exit(2);
        }
      }
    }
    builder.runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(stepMillis)));
    KfpEmulator emulator;
    try {
      emulator = builder.start();
    } catch (EmulatorStartException e) {
      System.err.println("kfp-emulator: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }));
    System.out.println("KFP API emulator (v2beta1, as KFP 2.17) listening on " + emulator.baseUrl()
        + "; stop it with Ctrl-C");
    stopped.await();
  }

  private static int number(String text, String option) {
    try {
      int value = Integer.parseInt(text);
      if (value < 0 || (option.equals("--port") && value > 65535) || (option.equals("--step-millis") && value == 0)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      System.err.println("kfp-emulator: " + option + " takes " + (option.equals("--port") ? "a port (0-65535)"
          : "a positive number of milliseconds") + ", not '" + text + "'");
      System.exit(2);
      return 0;
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      System.err.println("kfp-emulator: " + option + " needs a value");
      System.exit(2);
    }
    return args[index];
  }
}
