package org.recofilms.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.recofilms.local.RepositoryRoot;

/**
 * Headless Chromium driven by Selenium: Debian's chromium and chromedriver (paths overridable with
 * CHROMIUM_BIN and CHROMEDRIVER_BIN). Both paths are given explicitly, so Selenium Manager never
 * tries to download a browser or a driver (nothing can be downloaded here).
 */
final class Browser implements AutoCloseable {

    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);

    private static final Duration WAIT = Duration.ofSeconds(30);

    // Selenium warns when it has no DevTools bindings for this Chromium; the tests need none.
    // (A static field: java.util.logging holds loggers weakly, the level would be lost with it.)
    private static final java.util.logging.Logger CDP_VERSIONS =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSIONS.setLevel(Level.SEVERE);
    }

    final ChromeDriver driver;
    private final String base;

    Browser(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String driverPath = env("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        String chromium = env("CHROMIUM_BIN", "/usr/bin/chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(driverPath).toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium)
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--disable-gpu",
                        "--hide-scrollbars",
                        "--force-device-scale-factor=1",
                        "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
        // the page's console, read back when a wait fails
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    void open(String pathAndHash) {
        driver.get(base + pathAndHash);
        waitFor(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(RuntimeException.class).until(condition);
    }

    <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout)
                .ignoring(RuntimeException.class)
                .until(condition);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the selector matches at least one displayed element, and returns all it matches. */
    List<WebElement> visibleAll(String css) {
        return waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found;
        });
    }

    /** Waits until the selector matches a displayed element whose text is not empty, and returns it. */
    WebElement visible(String css) {
        return waitFor(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.isDisplayed() && !e.getText().isBlank())
                .findFirst()
                .orElse(null));
    }

    void size(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /**
     * Writes a PNG of the page to docs/screenshots/NAME.png: the window is stretched to the page's
     * height (at most maxHeight) so the picture shows more than the first screen.
     */
    Path screenshot(String name, Dimension width, int maxHeight) throws IOException {
        size(width);
        JavascriptExecutor js = driver;
        long page = (Long) js.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
        int target = (int) Math.min(maxHeight, Math.max(width.height, page));
        size(new Dimension(width.width, target));
        // the window's frame takes part of its height: grow it until the viewport has the target height
        long viewport = (Long) js.executeScript("return window.innerHeight");
        if (viewport < target) {
            size(new Dimension(width.width, target + (int) (target - viewport)));
        }
        js.executeScript("window.scrollTo(0, 0)");
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Path out = RepositoryRoot.path().resolve("docs").resolve("screenshots").resolve(name + ".png");
        Files.createDirectories(out.getParent());
        Files.write(out, png);
        size(width);
        return out;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
