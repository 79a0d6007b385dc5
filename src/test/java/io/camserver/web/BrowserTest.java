package io.camserver.web;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;
import io.camserver.support.ServerProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.sim.SimulatedCamera;
import io.camserver.support.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser (Debian's headless Chromium), under the server's
 * Content-Security-Policy: log in (the live page asks for it), enroll a person by upload, watch the
 * live page name them, delete them. Screenshots land in target/screenshots.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class BrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path tmp;
    private WebDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        Files.createDirectories(SHOTS);
        browser = io.camserver.support.Chromium.start(tmp.resolve("chrome-profile"));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Clicks the element as it is when found: lists re-render when their data arrives, so a found element may be replaced. */
    private static void clickCurrent(WebDriverWait wait, By by) {
        wait.until(d -> {
            try {
                d.findElement(by).click();
                return true;
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
    }

    /** Opens the page, logs in as the admin and waits for the Live page. */
    private void logIn(java.net.URI base, WebDriverWait wait) {
        browser.get(base + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password"))).sendKeys(LiveFixture.ADMIN_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("live-camera")));
    }

    private void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void anAnonymousViewerOfAnOpenLiveViewFindsTheLogIn() throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("auth.liveView", "open"))) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(live.base() + "/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("live-camera")));
            WebElement login = wait.until(ExpectedConditions.elementToBeClickable(By.id("login-link")));
            assertEquals("Log in", login.getText());
            browser.manage().window().setSize(new Dimension(390, 844));
            assertTrue(browser.findElement(By.id("login-link")).isDisplayed(), "on a phone too");
            shot("00b-open-live-view-phone");
            browser.manage().window().setSize(new Dimension(1280, 900));
            browser.findElement(By.id("login-link")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password")));
        }
    }

    @Test
    void logInEnrollByUploadSeeTheLivePageNameThePersonAndDeleteThem() throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(live.base() + "/");
            // The live view needs a login by default (auth.liveView: login): the page asks first.
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password"))).sendKeys("wrong password");
            browser.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "wrong admin password"));
            shot("00-login");
            WebElement pw = browser.findElement(By.id("login-password"));
            pw.clear();
            pw.sendKeys(LiveFixture.ADMIN_PASSWORD);
            browser.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("live-camera")));
            // The camera starts once the page listens, so its first sighting reaches the page.
            SimulatedCamera cam = live.camera(LiveFixture.frames("penny", 1, 2, 3), 10, Duration.ofSeconds(15));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cams"), LiveFixture.idOf(cam)));
            wait.until(d -> !d.findElements(By.cssSelector("#recent li[data-person='unknown']")).isEmpty());
            shot("01-live-unknown");

            browser.findElement(By.cssSelector("a[data-view=people]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-person-name"))).sendKeys("Penny");
            browser.findElement(By.id("add-person-submit")).click();
            WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".person[data-name='Penny']")));
            card.findElement(By.cssSelector("input.file")).sendKeys(Fixtures.person("penny", 4).toAbsolutePath().toString());
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".person[data-name='Penny'] .count"), "1 sample"));
            card = browser.findElement(By.cssSelector(".person[data-name='Penny']"));
            card.findElement(By.cssSelector("input.file")).sendKeys(Fixtures.person("penny", 5).toAbsolutePath().toString());
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".person[data-name='Penny'] .count"), "2 samples"));
            shot("02-people-enrolled");
            // Someone else's photo on Penny's card: kept, and flagged on the card in words.
            card = browser.findElement(By.cssSelector(".person[data-name='Penny']"));
            card.findElement(By.cssSelector("input.file")).sendKeys(Fixtures.person("sheldon", 1).toAbsolutePath().toString());
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".person[data-name='Penny'] .warning"),
                    "unlike Penny's other 2 samples"));
            shot("02b-people-outlier-flagged");
            ApiClient admin = new ApiClient(live.base(), LiveFixture.BASIC);
            String pennyId = admin.get("/api/people").json().get(0).get("id").asText();
            JsonNode pennySamples = admin.get("/api/people/" + pennyId + "/samples").json();
            assertEquals(3, pennySamples.size());
            assertEquals(204, admin.delete("/api/samples/" + pennySamples.get(2).get("id").asText()).status());

            browser.findElement(By.cssSelector("a[data-view=live]")).click();
            new WebDriverWait(browser, Duration.ofSeconds(40))
                    .until(d -> !d.findElements(By.cssSelector("#recent li[data-person='Penny']")).isEmpty());
            shot("03-live-named");
            // The camera's tile: its picture, its state, the face just named under it; a click opens its live stream.
            String camId = LiveFixture.idOf(cam);
            wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                    "const i = document.querySelector(\"#tiles figure[data-id='" + camId + "'] img\"); return !!i && i.complete && i.naturalWidth > 0"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#tiles figure[data-id='" + camId + "'] .badge"), "streaming"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#tiles figure[data-id='" + camId + "'] .tile-faces"), "Penny"));
            shot("03a-live-tiles");
            // Name the camera: the row's Name button, a small dialog; the name replaces the id on its tile and row.
            clickCurrent(wait, By.cssSelector("#cams tr[data-id='" + camId + "'] button.rename"));
            WebElement nameInput = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("name-camera-name")));
            nameInput.clear();
            nameInput.sendKeys("Front door");
            browser.findElement(By.id("name-camera-location")).sendKeys("Hall");
            shot("03a2-name-camera");
            browser.findElement(By.id("name-camera-save")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#tiles figure[data-id='" + camId + "'] figcaption strong"),
                    "Front door"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#cams tr[data-id='" + camId + "'] td.cam-name"), "Hall"));
            assertEquals("Front door", live.camera(camId).get("name").asText());
            browser.manage().window().setSize(new Dimension(390, 844));
            shot("03a3-live-tiles-named-phone");
            browser.manage().window().setSize(new Dimension(1280, 900));
            browser.findElement(By.cssSelector("#tiles figure[data-id='" + camId + "'] img")).click();
            wait.until(ExpectedConditions.attributeContains(By.id("live-img"), "src", "/cameras/" + camId + "/stream"));
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("tiles")));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("live-img")));
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("live-camera"))).selectByValue("");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tiles")));
            // The timeline: visits under their day; a visit opens to its sightings, whose thumbnail opens the frame with the face boxed.
            browser.findElement(By.cssSelector("a[data-view=events]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#events h3.day")));
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#events .visit button[aria-expanded=false]"))).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#events img.open-frame"))).click();
            wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                    "const v = document.getElementById('snapshot-view'); const i = document.getElementById('snapshot-img');"
                            + " return v.open && i.complete && i.naturalWidth > 0"));
            shot("03b-event-frame");
            browser.manage().window().setSize(new Dimension(390, 844));
            shot("03b2-event-frame-phone");
            browser.manage().window().setSize(new Dimension(1280, 900));
            browser.findElement(By.cssSelector("#snapshot-view button")).click();
            // "Find this face" on a sighting lists the sightings most like it, itself first.
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//div[@id='events']//button[text()='Find this face']"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("search-title"), "Sightings most like this face"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#events .event .what"), "% alike"));
            // Penny's card says where and when she was last seen.
            browser.findElement(By.cssSelector("a[data-view=people]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".person[data-name='Penny'] .last-seen"), "last seen: "));
            // Recent recognitions: "not Penny" on one of her sightings, then "this is Penny" on it again.
            WebElement rec = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#recognitions li.recognition[data-person='Penny']")));
            String eventId = rec.getDomAttribute("data-event");
            rec.findElement(By.cssSelector("button.not-person")).click();
            By sameEvent = By.cssSelector("#recognitions li.recognition[data-event='" + eventId + "']");
            wait.until(d -> {
                try {
                    return "unknown".equals(d.findElement(sameEvent).getDomAttribute("data-person"));
                } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                    return false;
                }
            });
            shot("03c-recent-recognitions");
            browser.manage().window().setSize(new Dimension(390, 844));
            shot("03c2-recent-recognitions-phone");
            browser.manage().window().setSize(new Dimension(1280, 900));
            new org.openqa.selenium.support.ui.Select(browser.findElement(sameEvent).findElement(By.cssSelector("select.assign"))).selectByVisibleText("Penny");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".person[data-name='Penny'] .count"), "3 samples"));
            browser.findElement(By.cssSelector("a[data-view=live]")).click();
            browser.manage().window().setSize(new Dimension(390, 844));
            shot("04-live-phone");
            browser.manage().window().setSize(new Dimension(1280, 900));

            browser.findElement(By.cssSelector("a[data-view=people]")).click();
            // The list re-renders when its data arrives: click whichever card is current then.
            clickCurrent(wait, By.cssSelector(".person[data-name='Penny'] button.delete"));
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".person[data-name='Penny']")));
            shot("05-person-deleted");

            browser.findElement(By.cssSelector("a[data-view=privacy]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("integrations"), "off (set mqtt.url)"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("privacy"), "no (nothing is sent anywhere)"));
            shot("06-privacy-integrations");
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            assertEquals(0, api.get("/api/people").json().size());
            assertEquals(0, StoreCounts.samples(live));
            List<String> screenshots;
            try (var s = Files.list(SHOTS)) {
                screenshots = s.map(p -> p.getFileName().toString()).toList();
            }
            assertTrue(screenshots.containsAll(List.of("01-live-unknown.png", "03-live-named.png", "05-person-deleted.png")), screenshots.toString());
        }
    }

    /**
     * The Live page's camera form: a Digest-protected camera on loopback is tried with the Test
     * button (its first frame shown), saved, shown streaming, changed to a wrong password (the
     * Test button says so in words) and removed; on a phone-sized screen too.
     */
    @Test
    void addTestChangeAndRemoveACameraFromTheLivePage() throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of());
             io.camserver.support.AuthCamera shop = new io.camserver.support.AuthCamera(io.camserver.support.AuthCamera.Scheme.DIGEST,
                     List.of("SHA-256"), "viewer", "counter-pw", LiveFixture.frames("raj", 1, 2))) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            logIn(live.base(), wait);
            browser.findElement(By.id("camera-form-title")).click();
            // A name makes the id (a slug); the id field's pattern is valid and checks (a bad id is refused by the browser).
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cam-name"))).sendKeys("Shop");
            assertEquals("shop", browser.findElement(By.id("cam-id")).getDomProperty("value"));
            browser.findElement(By.id("cam-location")).sendKeys("Counter");
            assertEquals(Boolean.TRUE, ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "const i = document.getElementById('cam-id'); const v = i.value; i.value = 'Bad Id!'; const bad = i.validity.patternMismatch;"
                            + " i.value = v; return bad && !i.validity.patternMismatch;"));
            browser.findElement(By.id("cam-url")).sendKeys(shop.url("/stream", null));
            browser.findElement(By.id("cam-user")).sendKeys("viewer");
            browser.findElement(By.id("cam-pass")).sendKeys("counter-pw");
            browser.findElement(By.id("cam-test")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cam-msg"), "the camera at 127.0.0."));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cam-preview")));
            wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d)
                    .executeScript("return document.getElementById('cam-preview').naturalWidth > 0"));
            shot("07-camera-test-ok");
            browser.findElement(By.id("cam-save")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#cams tr[data-id='shop']"), "streaming"));
            shot("08-camera-added");
            assertEquals("Shop", live.camera("shop").path("name").asText(), "saved with its name");
            assertEquals("Counter", live.camera("shop").path("location").asText());

            clickCurrent(wait, By.cssSelector("#cams tr[data-id='shop'] button.edit"));
            assertEquals("shop", browser.findElement(By.id("cam-id")).getDomProperty("value"));
            assertEquals("", browser.findElement(By.id("cam-pass")).getDomProperty("value"), "the stored password is never sent to the page");
            browser.findElement(By.id("cam-pass")).sendKeys("not-the-password");
            browser.findElement(By.id("cam-test")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cam-msg"), "wrong credentials (401)"));
            shot("09-camera-test-wrong-password");
            browser.findElement(By.id("cam-cancel")).click();
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            shot("10-cameras-phone");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

            clickCurrent(wait, By.cssSelector("#cams tr[data-id='shop'] button.remove"));
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#cams tr[data-id='shop']")));
            assertEquals(null, live.camera("shop"));
        }
    }

    /**
     * The face library on a person's card: several photos chosen at once each get a verdict (one
     * with no face is refused in words, someone else's is added but flagged), the Samples grid
     * shows each sample with how like the others it is and outlines the outlier, and its Remove
     * button takes that sample out.
     */
    @Test
    void faceLibraryTakesSeveralPhotosFlagsTheOutlierAndRemovesIt() throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            logIn(live.base(), wait);
            browser.findElement(By.cssSelector("a[data-view=people]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-person-name"))).sendKeys("Raj");
            browser.findElement(By.id("add-person-submit")).click();
            WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".person[data-name='Raj']")));
            String files = String.join("\n", Fixtures.person("raj", 1).toAbsolutePath().toString(), Fixtures.person("raj", 2).toAbsolutePath().toString(),
                    Fixtures.person("raj", 3).toAbsolutePath().toString(), Fixtures.faces().resolve("negatives/white.png").toAbsolutePath().toString(),
                    Fixtures.person("howard", 1).toAbsolutePath().toString());
            card.findElement(By.cssSelector("input.file")).sendKeys(files);
            wait.until(d -> d.findElements(By.cssSelector(".person[data-name='Raj'] .verdicts li")).stream()
                    .noneMatch(li -> li.getText().endsWith("uploading…")) && d.findElements(By.cssSelector(".person[data-name='Raj'] .verdicts li")).size() == 5);
            String verdicts = browser.findElement(By.cssSelector(".person[data-name='Raj'] .verdicts")).getText();
            assertTrue(verdicts.contains("white.png: not added: no face found"), verdicts);
            assertTrue(verdicts.contains("howard1.png: added, but this face is unlike Raj's other 3 samples"), verdicts);
            assertTrue(verdicts.contains("raj2.png: added"), verdicts);
            assertTrue(card.findElement(By.cssSelector(".count")).getText().equals("4 samples"), card.getText());
            card.findElement(By.cssSelector(".library summary")).click();
            wait.until(d -> d.findElements(By.cssSelector(".person[data-name='Raj'] .samples .sample")).size() == 4);
            assertTrue(browser.findElement(By.cssSelector(".person[data-name='Raj'] .samples .sample .quality")).getText().matches("\\d+ px · (sharp|a little blurry|blurry) · .*"),
                    "each sample shows the quality of its view, in words");
            List<WebElement> outliers = browser.findElements(By.cssSelector(".person[data-name='Raj'] .samples .sample.outlier"));
            assertEquals(1, outliers.size(), "howard's photo stands out");
            shot("11-face-library");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(360, 800));
            shot("12-face-library-phone");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
            outliers.get(0).findElement(By.cssSelector("button.remove-sample")).click();
            wait.until(d -> d.findElements(By.cssSelector(".person[data-name='Raj'] .samples .sample")).size() == 3
                    && d.findElements(By.cssSelector(".person[data-name='Raj'] .samples .sample.outlier")).isEmpty());
            assertEquals("3 samples", browser.findElement(By.cssSelector(".person[data-name='Raj'] .count")).getText());
            // A photo dropped on the card (a real drop event carrying a file) is added like a chosen one.
            ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const card = document.querySelector(".person[data-name='Raj']");
                    const src = card.querySelector('.samples .sample img').src;
                    fetch(src, { credentials: 'same-origin' }).then(r => r.blob()).then(b => {
                      const dt = new DataTransfer();
                      dt.items.add(new File([b], 'dropped.jpg', { type: 'image/jpeg' }));
                      card.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
                      card.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
                      done();
                    });
                    """);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".person[data-name='Raj'] .verdicts"), "dropped.jpg: added"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".person[data-name='Raj'] .count"), "4 samples"));
        }
    }

    /**
     * The demo as a newcomer meets it: an empty gallery, so the Live page shows the first-run guide
     * (with the registration URL to give a camera); the demo's faces become unknown visitors; one
     * is named in two actions (a name, the Name button) and that name then shows up live.
     */
    @Test
    void theDemosFirstRunPathNamesAnUnknownFaceAndSeesTheNameLive() throws Exception {
        try (ServerProcess demo = ServerProcess.command(tmp, Map.of(), List.of("demo", "--cameras", "2", "--fps", "4",
                "--images", Fixtures.faces().resolve("people").toString()))) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
            browser.get(demo.base() + "/#people");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password"))).sendKeys(LiveFixture.ADMIN_PASSWORD);
            browser.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-person-name")));
            browser.findElement(By.cssSelector("a[data-view=live]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("first-run")));
            assertTrue(browser.findElement(By.id("first-run-register")).getText().endsWith("/register"),
                    browser.findElement(By.id("first-run")).getText());
            shot("13-first-run");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(360, 800));
            shot("14-first-run-phone");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

            // Visitors form as the demo's cameras keep showing the same strangers.
            ApiClient api = new ApiClient(demo.base(), LiveFixture.BASIC);
            LiveFixture.eventually(Duration.ofSeconds(90), "an unknown visitor", () -> api.get("/api/visitors").json().size() > 0);
            browser.findElement(By.cssSelector("a[data-view=unknown]")).click();
            // Seen twice, it is in the grid; seen once so far, in the "Seen once" list below, open when the grid is empty.
            WebElement visitor = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#view-unknown .visitor")));
            wait.until(d -> !d.findElements(By.cssSelector("#view-unknown .visitor .visitor-faces img")).isEmpty());
            shot("15-unknown-visitors");
            visitor.findElement(By.cssSelector("form input")).sendKeys("Newcomer");
            visitor.findElement(By.cssSelector("form button")).click();
            wait.until(d -> {
                try {
                    return api.get("/api/people").json().size() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            browser.findElement(By.cssSelector("a[data-view=live]")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#recent li[data-person='Newcomer']")).isEmpty());
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("first-run")));
            shot("16-first-run-named-live");
        }
    }

    /**
     * Every visible form control has a name a screen reader can say (a label, aria-label or its
     * text), and every visible image an alt text; returns what lacks one.
     */
    private List<String> unlabelled() {
        @SuppressWarnings("unchecked")
        List<String> missing = (List<String>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                const out = [];
                const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
                for (const el of document.querySelectorAll('input, select, textarea, button')) {
                  if (!visible(el) || el.type === 'hidden') continue;
                  const named = el.getAttribute('aria-label') || (el.labels && el.labels.length) || (el.textContent || '').trim()
                      || (el.type === 'submit' && el.value);
                  if (!named) out.push(el.outerHTML.slice(0, 120));
                }
                for (const img of document.querySelectorAll('img')) {
                  if (visible(img) && !img.hasAttribute('alt')) out.push(img.outerHTML.slice(0, 120));
                }
                return out;
                """);
        return missing;
    }

    /**
     * Text that is hard to read: every visible element with its own text whose colour against the
     * nearest opaque background behind it is under WCAG AA's 4.5:1 (3:1 for large text).
     */
    private List<String> lowContrast() {
        @SuppressWarnings("unchecked")
        List<String> low = (List<String>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
                const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
                const bg = el => {
                  for (let e = el; e; e = e.parentElement) {
                    const c = rgb(getComputedStyle(e).backgroundColor);
                    if (c.length >= 3 && (c.length < 4 || c[3] > 0.9)) return c;
                  }
                  return [255, 255, 255];
                };
                const out = [];
                for (const el of document.querySelectorAll('body *')) {
                  if (!(el.offsetWidth || el.offsetHeight) || el.tagName === 'IMG' || el.tagName === 'OPTION') continue;
                  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                  if (!own) continue;
                  const st = getComputedStyle(el);
                  if (st.visibility === 'hidden' || Number(st.opacity) < 0.5) continue;
                  const a = lum(rgb(st.color)), b = lum(bg(el));
                  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                  const large = parseFloat(st.fontSize) >= 24 || (parseFloat(st.fontSize) >= 18.66 && Number(st.fontWeight) >= 700);
                  if (ratio < (large ? 3 : 4.5)) out.push(el.tagName + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
                }
                return out;
                """);
        return low;
    }

    /** Keyboard and screen readers: every page's controls are named, and the tabs and tiles are reached and opened by keyboard. */
    @Test
    void focusOnALiveControlSurvivesTheRefreshesAndComesBackAfterTheNameDialog() throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            var cam = live.camera(LiveFixture.frames("amy", 1, 2), 5, Duration.ofSeconds(15));
            String camId = LiveFixture.idOf(cam);
            logIn(live.base(), wait);
            WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#cams tr[data-id='" + camId + "'] button.rename")));
            var js = (org.openqa.selenium.JavascriptExecutor) browser;
            js.executeScript("arguments[0].focus()", name);
            // The table refreshes every 3 s and the tiles every 2 s: 7 s is several of each.
            long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(500);
                assertEquals("name camera " + camId, js.executeScript("return document.activeElement.getAttribute('aria-label')"),
                        "focus stayed on the Name button");
            }
            name.sendKeys(org.openqa.selenium.Keys.ENTER);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("name-camera-name")));
            browser.findElement(By.id("name-camera-name")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
            wait.until(d -> ("name camera " + camId).equals(js.executeScript("return document.activeElement.getAttribute('aria-label')")));
            cam.close();
        }
    }

    @Test
    void everyViewsControlsAreNamedAndTheLivePageWorksByKeyboard() throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(live.base() + "/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password")));
            assertEquals(List.of(), unlabelled(), "login");
            browser.findElement(By.id("login-password")).sendKeys(LiveFixture.ADMIN_PASSWORD + org.openqa.selenium.Keys.ENTER);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("live-camera")));
            browser.findElement(By.cssSelector("a[data-view=people]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-person-name")));
            SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 1, 2), 5, Duration.ofSeconds(15));
            String camId = LiveFixture.idOf(cam);
            browser.findElement(By.id("new-person-name")).sendKeys("Amy" + org.openqa.selenium.Keys.ENTER);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".person[data-name='Amy']")));
            for (String view : List.of("people", "events", "unknown", "privacy", "live")) {
                browser.findElement(By.cssSelector("a[data-view=" + view + "]")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-" + view)));
                assertEquals(List.of(), unlabelled(), view + " view");
                assertEquals(List.of(), lowContrast(), view + " view: text under WCAG AA contrast");
            }
            // The camera's tile takes the keyboard: focus it, Enter opens its stream.
            WebElement tile = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tiles figure[data-id='" + camId + "'] img")));
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].focus()", tile);
            tile.sendKeys(org.openqa.selenium.Keys.ENTER);
            wait.until(ExpectedConditions.attributeContains(By.id("live-img"), "src", "/cameras/" + camId + "/stream"));
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(360, 740));
            shot("17-live-one-camera-360px");
            assertTrue((Boolean) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling at 360 px");
        }
    }

    /** Direct storage checks. */
    static final class StoreCounts {
        static long samples(LiveFixture live) throws Exception {
            try (var c = live.server.database().connection(); var ps = c.prepareStatement("SELECT COUNT(*) FROM samples");
                 var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
