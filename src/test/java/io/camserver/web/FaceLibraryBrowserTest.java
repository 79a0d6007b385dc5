package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.ApiClient;
import io.camserver.support.Fixtures;
import io.camserver.support.LiveFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The face library as a user works it, in Chromium at desktop and phone sizes: people as a grid of
 * their best faces; a person's page with every sample and their visits, samples removed several at
 * once, rename on Enter that is refused for a taken name and puts the old one back; the Unknown
 * page's groups selected, hidden, shown again and named together. Screenshots: target/screenshots/2x-*.
 */
@Tag("slow") // a real server and browser: not in ./test --fast
class FaceLibraryBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final Dimension DESKTOP = new Dimension(1280, 900);
    private static final Dimension PHONE = new Dimension(390, 844);

    @TempDir
    Path tmp;
    private WebDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        Files.createDirectories(SHOTS);
        browser = io.camserver.support.Chromium.start(tmp.resolve("chrome-profile"));
        browser.manage().window().setSize(DESKTOP);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private void bothSizes(String name) throws Exception {
        shot(name + "-desktop");
        browser.manage().window().setSize(PHONE);
        assertTrue((Boolean) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth <= window.innerWidth + 1"),
                name + ": no sideways scrolling on a phone");
        shot(name + "-phone");
        browser.manage().window().setSize(DESKTOP);
    }

    private static byte[] emptyFrame() {
        io.camserver.vision.opencv.OpenCvRuntime.load();
        Mat m = new Mat(480, 640, CvType.CV_8UC3, new Scalar(40, 40, 40));
        MatOfByte b = new MatOfByte();
        Imgcodecs.imencode(".jpg", m, b);
        m.release();
        return b.toArray();
    }

    /** A face for a second, then two seconds of an empty room: one sighting each time. */
    private static void appear(List<byte[]> frames, byte[] face, byte[] empty) {
        for (int k = 0; k < 10; k++) {
            frames.add(face);
        }
        for (int k = 0; k < 20; k++) {
            frames.add(empty);
        }
    }

    private void accept(WebDriverWait wait) {
        wait.until(ExpectedConditions.alertIsPresent()).accept();
    }

    @Test
    void peopleAsFacesAPersonsPageAndTheUnknownGroupsWorkWithBulkSelection() throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            String raj = api.postJson("/api/people", "{\"name\":\"Raj\"}").json().get("id").asText();
            for (int i = 1; i <= 3; i++) {
                assertEquals(201, api.upload("/api/people/" + raj + "/samples", "raj" + i + ".png", Files.readAllBytes(Fixtures.person("raj", i))).status());
            }
            String howard = api.postJson("/api/people", "{\"name\":\"Howard\"}").json().get("id").asText();
            assertEquals(201, api.upload("/api/people/" + howard + "/samples", "howard1.png", Files.readAllBytes(Fixtures.person("howard", 1))).status());
            // One camera: Raj twice (one visit), then a stranger three times (a group seen more than once).
            byte[] empty = emptyFrame();
            List<byte[]> frames = new ArrayList<>();
            appear(frames, LiveFixture.frames("raj", 4).get(0), empty);
            appear(frames, LiveFixture.frames("raj", 5).get(0), empty);
            for (int i = 1; i <= 3; i++) {
                appear(frames, LiveFixture.frames("stuart", i).get(0), empty);
            }
            live.camera(frames, 10, Duration.ofSeconds(20));
            LiveFixture.eventually(Duration.ofSeconds(60), "Raj seen and a stranger's group seen twice", () ->
                    api.get("/api/events?person=" + raj).json().size() >= 1 && api.get("/api/visitors?minSightings=2").json().size() >= 1);

            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(live.base() + "/#people");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password"))).sendKeys(LiveFixture.ADMIN_PASSWORD + Keys.ENTER);
            // People: a grid of faces, each large.
            WebElement face = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".person[data-name='Raj'] a.open-person img")));
            wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", face));
            assertTrue(face.getSize().getWidth() >= 150, "the person's face is the card's picture: " + face.getSize());
            bothSizes("20-people-faces");

            // A person's page: every sample, rename on Enter, a taken name refused and the old one back.
            browser.findElement(By.cssSelector(".person[data-name='Raj'] a.open-person")).click();
            wait.until(ExpectedConditions.urlContains("#person/" + raj));
            wait.until(d -> d.findElements(By.cssSelector("#pp-samples .sample")).size() == 3);
            WebElement name = browser.findElement(By.id("pp-name"));
            assertEquals("Raj", name.getAttribute("value"));
            assertTrue(!browser.findElement(By.id("pp-rename-save")).isEnabled(), "Rename waits for a change");
            name.sendKeys(" Koothrappali" + Keys.ENTER);
            wait.until(d -> {
                try {
                    return api.get("/api/people/" + raj).json().get("name").asText().equals("Raj Koothrappali");
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(!browser.findElement(By.id("pp-rename-save")).isEnabled(), "saved: nothing to save until the next change");
            name.sendKeys(Keys.chord(Keys.CONTROL, "a"), "howard" + Keys.ENTER);
            wait.until(d -> "Raj Koothrappali".equals(d.findElement(By.id("pp-name")).getAttribute("value")));
            assertEquals("Raj Koothrappali", api.get("/api/people/" + raj).json().get("name").asText(), "the taken name was refused");

            // Visits: Raj's two sightings on the camera are one visit; its faces open below it.
            WebElement visit = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#pp-visits .visit")));
            assertEquals(1, browser.findElements(By.cssSelector("#pp-visits .visit")).size(), "one visit");
            visit.findElement(By.cssSelector("summary")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#pp-visits .visit .sample img")).isEmpty());
            bothSizes("21-person-page");

            // Two samples selected and removed at once.
            List<WebElement> picks = browser.findElements(By.cssSelector("#pp-samples .sample input.pick"));
            picks.get(0).click();
            picks.get(1).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pp-samples-selected"), "2 samples selected"));
            browser.findElement(By.id("pp-samples-remove")).click();
            accept(wait);
            wait.until(d -> d.findElements(By.cssSelector("#pp-samples .sample")).size() == 1);
            assertEquals(1, api.get("/api/people/" + raj).json().get("samples").asInt());
            assertEquals("1 sample", browser.findElement(By.id("pp-meta")).getText());

            // Unknown: the stranger's group as a face; hidden, listed apart, shown again, then named.
            browser.findElement(By.cssSelector("a[data-view=unknown]")).click();
            WebElement group = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#visitors .visitor")));
            String groupId = group.getAttribute("data-id");
            wait.until(d -> !d.findElements(By.cssSelector("#visitors .visitor .visitor-faces img")).isEmpty());
            bothSizes("22-unknown-groups");
            group.findElement(By.cssSelector("input.pick")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("visitors-hide"))).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#visitors .visitor[data-id='" + groupId + "']")));
            browser.findElement(By.id("visitors-show-hidden")).click();
            group = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#visitors .visitor[data-id='" + groupId + "']")));
            group.findElement(By.cssSelector("input.pick")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("visitors-hide"), "Show selected again"));
            browser.findElement(By.id("visitors-hide")).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#visitors .visitor[data-id='" + groupId + "']")));
            browser.findElement(By.id("visitors-show-hidden")).click();
            group = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#visitors .visitor[data-id='" + groupId + "']")));
            group.findElement(By.cssSelector("input.pick")).click();
            browser.findElement(By.id("visitors-name-input")).sendKeys("Stuart");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("visitors-name-go"))).click();
            wait.until(d -> {
                try {
                    for (var p : api.get("/api/people").json()) {
                        if (p.get("name").asText().equals("Stuart")) {
                            return p.get("samples").asInt() >= 2;
                        }
                    }
                    return false;
                } catch (Exception e) {
                    return false;
                }
            });

            // Raj entered twice under another name: the People page suggests the merge, and it is one click.
            String rajesh = api.postJson("/api/people", "{\"name\":\"Rajesh\"}").json().get("id").asText();
            assertEquals(201, api.upload("/api/people/" + rajesh + "/samples", "raj2.png", Files.readAllBytes(Fixtures.person("raj", 2))).status());
            browser.findElement(By.cssSelector("a[data-view=people]")).click();
            WebElement suggestion = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#calibration button.merge-suggested")));
            assertEquals("Same person? Merge Rajesh into Raj Koothrappali", suggestion.getText());
            shot("23-merge-suggested-desktop");
            suggestion.click();
            accept(wait);
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".person[data-name='Rajesh']")));
            assertEquals(404, api.get("/api/people/" + rajesh).status());
            assertEquals(2, api.get("/api/people/" + raj).json().get("samples").asInt(), "Rajesh's sample moved to Raj");
        }
    }
}
