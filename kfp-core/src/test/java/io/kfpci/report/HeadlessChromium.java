package io.kfpci.report;

import io.kfpci.testing.RealParts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The system's headless Chromium, driven through the system chromedriver (Debian's chromium and
 * chromium-driver; .ci/run installs them). Found on the PATH, or through KFPCI_CHROMIUM and
 * KFPCI_CHROMEDRIVER. A missing browser skips the test locally and fails it under CI
 * ({@link RealParts}); a KFPCI_CHROMIUM or KFPCI_CHROMEDRIVER that is set but is not a program
 * fails it everywhere.
 */
final class HeadlessChromium implements AutoCloseable {
  private final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts a browser with a fresh profile under {@code profile}; skips or fails when there is none. */
  static HeadlessChromium start(Path profile) {
    Optional<Path> browser = find("KFPCI_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
    Optional<Path> driverBinary = find("KFPCI_CHROMEDRIVER", "chromedriver");
    if (browser.isEmpty() || driverBinary.isEmpty()) {
      String why = "headless Chromium is needed for the report's browser test, but there is "
          + (browser.isEmpty() ? "no chromium (KFPCI_CHROMIUM, or chromium, chromium-browser or google-chrome on the PATH)"
              : "no chromedriver (KFPCI_CHROMEDRIVER, or chromedriver on the PATH)")
          + "; install Debian's chromium and chromium-driver, as .ci/run does";
      RealParts.missing(why);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.get().toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1360,900", "--hide-scrollbars",
        "--force-color-profile=srgb");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driverBinary.get().toFile()).usingAnyFreePort().build();
    return new HeadlessChromium(new ChromeDriver(service, options));
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens a local file. */
  void open(Path page) {
    driver.get(page.toAbsolutePath().toUri().toString());
  }

  /** Console messages (CSP violations show up here as SEVERE). */
  List<LogEntry> consoleLog() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** Emulates the reader's colour scheme ({@code light} or {@code dark}). */
  void colorScheme(String scheme) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /** Emulates a media type ({@code print}, or "" for the screen). */
  void media(String media) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", media));
  }

  /** A PNG of the whole page, not just the window. */
  @SuppressWarnings("unchecked")
  void screenshot(Path png) throws IOException {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    capture(0, 0, ((Number) size.get("width")).doubleValue(), ((Number) size.get("height")).doubleValue(), png);
  }

  /** A PNG of one element, wherever it is on the page. */
  void screenshot(WebElement element, Path png) throws IOException {
    Rectangle r = element.getRect();
    capture(r.getX(), r.getY(), r.getWidth(), r.getHeight(), png);
  }

  private void capture(double x, double y, double width, double height, Path png) throws IOException {
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
        "format", "png", "captureBeyondViewport", true,
        "clip", Map.of("x", x, "y", y, "width", width, "height", Math.min(height, 12_000), "scale", 1)));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
  }

  @Override
  public void close() {
    driver.quit();
  }

  private static Optional<Path> find(String variable, String... names) {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        Assertions.fail(variable + " is set to " + configured + ", which is not an executable file;"
            + " point it at the program or unset it");
      }
      return Optional.of(path);
    }
    String pathVariable = System.getenv().getOrDefault("PATH", "");
    for (String name : names) {
      for (String dir : pathVariable.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
