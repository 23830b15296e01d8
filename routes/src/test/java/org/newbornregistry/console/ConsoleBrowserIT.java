package org.newbornregistry.console;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.StrResult;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.adapter.index.Pseudonymizer;
import org.newbornregistry.fhir.Fixtures;
import org.newbornregistry.fhir.TestTokens;
import org.newbornregistry.routes.mllp.MllpListenerTestSupport;
import org.newbornregistry.routes.mllp.MllpTestClient;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in Debian's headless Chromium, against the whole application: sign-in by role, the
 * consent log's filters, the overview, a refusal, and an operator's replay. Each page is saved
 * as a screenshot under {@code target/console-screenshots/} for a person to look at. Without
 * {@code chromium} and {@code chromium-driver} installed (as {@code .ci/run} installs them) the
 * tests are skipped, and say so.
 */
class ConsoleBrowserIT extends MllpListenerTestSupport {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /**
     * Genotypes of the STR sample as the registry stores them (a locus's alleles joined by a comma): a
     * time such as 01:47:39.312 contains 9.3, but nothing but a genotype contains 6,9.3.
     */
    private static final List<String> SAMPLE_GENOTYPES = List.of("6,9.3", "29,30.2", "12,15.3", "13,14.2");

    private static WebDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.out.println("ConsoleBrowserIT SKIPPED: install Debian's chromium and chromium-driver (as .ci/run does) to run the browser tests");
        }
        Assumptions.assumeTrue(installed, "Debian's chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1024,900");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.manage().deleteAllCookies();
    }

    @Test
    void shouldLetAnAuditorFilterTheConsentLogAndFindTheWithdrawnConsent() throws Exception {
        // given: a hospital records a birth and two consents, then one of them is withdrawn
        IGenericClient hospital = fhir();
        FhirExamples story = FhirExamples.story();
        hospital.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();
        String kept = hospital.create().resource(Fixtures.uniqueConsent(story))
                .execute().getId().getIdPart();
        String withdrawn = hospital.create().resource(Fixtures.uniqueConsent(story))
                .execute().getId().getIdPart();
        Consent consent = hospital.read().resource(Consent.class).withId(withdrawn).execute();
        consent.setStatus(Consent.ConsentState.INACTIVE);
        hospital.update().resource(consent).execute();

        // when: the auditor filters by today, purpose and status
        signIn("auditor");
        open("/console/consents");
        // Why a script: a date input takes typed digits in the order of the browser's locale.
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", browser.findElement(By.id("from")),
                LocalDate.now(ZoneOffset.UTC).toString());
        new Select(browser.findElement(By.id("purpose"))).selectByValue("national-index-submission");
        new Select(browser.findElement(By.id("status"))).selectByValue("inactive");
        browser.findElement(By.id("apply-filters")).click();
        // Why wait on the statuses: the unfiltered page listed the withdrawn consent too; htmx swaps the results in place.
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until(driver -> {
            List<String> statuses = texts(By.cssSelector("#consent-log td.status"));
            return !statuses.isEmpty() && statuses.stream().allMatch("inactive"::equals);
        });
        screenshot("consent-log");

        // then
        List<String> rows = texts(By.cssSelector("#consent-log tbody tr.consent-row"));
        assertThat(rows).anySatisfy(row -> assertThat(row).contains("Consent/" + withdrawn).contains("inactive"));
        assertThat(rows).noneSatisfy(row -> assertThat(row).contains("Consent/" + kept));
        assertThat(texts(By.cssSelector("#consent-log td.status"))).containsOnly("inactive");
        assertThat(browser.getCurrentUrl()).contains("status=inactive");
        assertThat(browser.findElement(By.id("csv-export")).getAttribute("href")).contains("/console/consents.csv").contains("status=inactive");
    }

    @Test
    void shouldShowTheOverviewWithTheHoursMessagesInChartAndTable() throws Exception {
        // given
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            assertThat(client.send(TwinBirth.unique().text().getBytes(StandardCharsets.ISO_8859_1))).contains("MSA|AA|");
        }

        // when
        signIn("auditor");
        open("/console/overview");
        screenshot("overview");

        // then
        assertThat(browser.findElement(By.cssSelector("h1")).getText()).isEqualTo("Overview");
        assertThat(browser.findElements(By.cssSelector("#messages-table tbody tr"))).isNotEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return Chart.getChart('messages-chart').data.datasets[0].data.reduce((a, b) => a + b, 0)"))
                .as("accepted messages the chart draws").satisfies(accepted -> assertThat(((Number) accepted).longValue()).isPositive());
        assertThat(((JavascriptExecutor) browser).executeScript("return Chart.getChart('outbox-chart') != null")).isEqualTo(true);
        assertThat(browser.findElement(By.id("outbox-table")).getText()).contains("Pending");
        assertThat(browser.findElement(By.cssSelector("nav [aria-current=page]")).getText()).isEqualTo("Overview");
    }

    @Test
    void shouldShowAnAuditorThatTheRegistryRefusesTheMessageStore() throws Exception {
        // when
        signIn("auditor");
        open("/console/messages");
        screenshot("auditor-refused");

        // then
        assertThat(browser.findElement(By.id("refusal")).getText()).contains("403");
        assertThat(browser.findElements(By.id("message-store"))).isEmpty();
        assertThat(texts(By.cssSelector("nav a"))).doesNotContain("Message store");
    }

    @Test
    void shouldLetAnAdminReplayARejectedMessageOnceItsBlockIsLiftedAndSeeItAccepted() throws Exception {
        // given: two hand-entered records both hold the newborn's hospital number, so the birth message is rejected
        IGenericClient fhir = fhir();
        TwinBirth birth = TwinBirth.unique();
        List<IdType> misfiled = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Patient patient = new Patient();
            patient.addIdentifier().setSystem(TwinBirth.MRN_SYSTEM).setValue(birth.mrn()).setUse(Identifier.IdentifierUse.SECONDARY);
            misfiled.add((IdType) fhir.create().resource(patient).execute().getId());
        }
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            assertThat(client.send(birth.text().getBytes(StandardCharsets.ISO_8859_1))).contains("MSA|AE|");
        }
        fhir.delete().resourceById("Patient", misfiled.get(1).getIdPart()).execute();

        // when
        signIn("admin");
        open("/console/messages?status=REJECTED");
        WebElement row = browser.findElements(By.cssSelector("#message-store tbody tr")).get(0);
        String id = row.getAttribute("id").substring("message-".length());
        assertThat(row.findElement(By.cssSelector(".status")).getText()).isEqualTo("REJECTED");
        screenshot("message-store-before-replay");
        row.findElement(By.cssSelector("button.replay")).click();
        waitUntilPageShows("Message " + id + " replayed");
        screenshot("message-store-after-replay");

        // then
        assertThat(browser.findElement(By.id("replayed")).getText()).contains("REJECTED AE → ACCEPTED AA");
        assertThat(browser.findElement(By.cssSelector("#message-" + id + " .status")).getText()).isEqualTo("ACCEPTED");
        assertThat(browser.findElement(By.cssSelector("#message-" + id + " .ack")).getText()).isEqualTo("AA");
    }

    @Test
    void shouldLetAnAuditorVerifyTheLogAndFollowOneEntrysProofToTheSignedRoot() throws Exception {
        // given: a signed checkpoint over the entries so far, and one of them
        HttpResponse<String> signed = TestTokens.http().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/audit/log/checkpoint")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signed.statusCode()).isEqualTo(200);
        String entry = jdbc.queryForObject("""
                select e.event_id from audit_leaf l join audit_event e on e.entry_id = l.entry_id
                order by l.leaf_index desc limit 1""", String.class);

        // when
        signIn("auditor");
        open("/console/audit");
        browser.findElement(By.id("verify")).click();
        waitUntilPageShows("Verified:");
        browser.findElement(By.id("auditEvent")).sendKeys(entry);
        browser.findElement(By.id("prove")).click();
        waitUntilPageShows("leads to the signed root");
        screenshot("audit-integrity");

        // then
        assertThat(browser.findElement(By.id("signature")).getText()).startsWith("The signature is valid");
        assertThat(browser.findElement(By.id("inclusion")).getText()).contains("AuditEvent/" + entry);
    }

    @Test
    void shouldLetAnAdminRetryAParkedSubmission() throws Exception {
        // given: a row the forwarder gave up on
        Long id = jdbc.queryForObject("""
                insert into index_outbox (action, reason, patient_id, status, attempts, next_attempt, outcome, created, updated)
                values ('REVIEW', 'OPERATOR', ?, 'PARKED', 8, now(), 'parked after 8 attempts: index unreachable', now(), now())
                returning id""", Long.class, "console-" + UUID.randomUUID());

        // when
        signIn("admin");
        open("/console/outbox?status=PARKED");
        WebElement row = browser.findElement(By.id("row-" + id));
        assertThat(row.findElement(By.cssSelector(".outcome")).getText()).contains("index unreachable");
        screenshot("outbox-parked");
        row.findElement(By.cssSelector("button.retry")).click();
        waitUntilPageShows("Outbox row " + id + " retried");
        screenshot("outbox-after-retry");

        // then
        assertThat(browser.findElement(By.id("retried")).getText()).isEqualTo("Outbox row " + id + " retried: PARKED → PENDING");
        assertThat(jdbc.queryForObject("select attempts from index_outbox where id = ?", Integer.class, id))
                .as("attempts counted afresh").isLessThan(8);
    }

    @Test
    void shouldShowAnAuditorTheNewbornsTrailInOrderWithNoAlleleAnywhereInThePage() throws Exception {
        // given: a birth and the newborn's STR genotype over MLLP
        TwinBirth birth = TwinBirth.unique();
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            assertThat(client.send(birth.text().getBytes(StandardCharsets.ISO_8859_1))).contains("MSA|AA|");
            assertThat(client.send(StrResult.forNewborn(birth.mrn()).bytes())).contains("MSA|AA|");
        }

        // when: the auditor asks for the trail with the keyboard alone
        signIn("auditor");
        open("/console/trail");
        WebElement identifier = browser.findElement(By.id("identifier"));
        identifier.sendKeys(TwinBirth.MRN_SYSTEM + "|" + birth.mrn());
        identifier.sendKeys(Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("trail-entries")));
        screenshot("newborn-trail");

        // then
        List<WebElement> rows = browser.findElements(By.cssSelector("#trail-entries tr.trail-entry"));
        assertThat(rows).extracting(row -> Instant.parse(row.getAttribute("data-at"))).isSorted();
        List<String> titles = texts(By.cssSelector("#trail-entries td.title"));
        assertThat(titles).contains("HL7 message received", "Newborn record created", "STR genotype created");
        assertThat(titles.indexOf("Newborn record created")).isLessThan(titles.indexOf("STR genotype created"));
        assertThat(browser.getPageSource()).as("no genotype of the sample anywhere in the page")
                .doesNotContain(SAMPLE_GENOTYPES.toArray(String[]::new));
    }

    @Test
    void shouldLetAnInvestigatorReidentifyAPseudonymForACaseAndSeeTheTrailWithThatStepInIt(
            @Autowired Pseudonymizer pseudonyms) throws Exception {
        // given: a newborn whose profile the national index holds under a pseudonym
        TwinBirth birth = TwinBirth.unique();
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            assertThat(client.send(birth.text().getBytes(StandardCharsets.ISO_8859_1))).contains("MSA|AA|");
        }
        String newborn = fhir().search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + birth.mrn())
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource().getIdElement().getIdPart();
        String pseudonym = pseudonyms.pseudonym("console-" + UUID.randomUUID());
        // Why by hand: the whole forwarding chain to a live index is IndexForwardingIT's; here the index already holds it.
        jdbc.update("""
                insert into index_delivery (patient_id, observation_id, observation_version, receipt, delivered, pseudonym_lookup)
                values (?, 'genotype', 1, 'R-console', now(), ?)""", newborn, pseudonyms.lookupKey(pseudonym));

        // when
        signIn("investigator");
        assertThat(browser.getCurrentUrl()).endsWith("/console/trail");
        assertThat(browser.findElements(By.id("trail-by-identifier"))).as("investigators do not search by identifier").isEmpty();
        browser.findElement(By.id("pseudonym")).sendKeys(pseudonym);
        browser.findElement(By.id("caseReference")).sendKeys("CASE-2026-0099");
        browser.findElement(By.id("reidentify")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("trail-entries")));
        screenshot("newborn-trail-investigator");

        // then
        List<WebElement> rows = browser.findElements(By.cssSelector("#trail-entries tr.kind-reidentification"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains("investigator@console").contains("case CASE-2026-0099");
        assertThat(browser.getCurrentUrl()).doesNotContain(pseudonym);
        assertThat(browser.getPageSource()).doesNotContain(pseudonym);
    }

    @Test
    void shouldOfferEveryControlWithALabelAndFitEveryAuditorPageIn1024Pixels() throws Exception {
        // given
        signIn("auditor");

        for (String page : List.of("/console/overview", "/console/consents", "/console/trail", "/console/audit")) {
            // when
            open(page);

            // then
            List<String> unlabelled = browser.findElements(By.cssSelector("main input:not([type=hidden]), main select, main textarea"))
                    .stream().filter(control -> {
                        String id = control.getAttribute("id");
                        return (id == null || browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty())
                                && control.getAttribute("aria-label") == null;
                    }).map(control -> control.getAttribute("name")).toList();
            assertThat(unlabelled).as("form controls without a label on %s", page).isEmpty();
            assertThat(browser.findElements(By.cssSelector("main button, main a")).stream()
                    .filter(element -> element.isDisplayed() && element.getText().isBlank() && element.getAttribute("aria-label") == null)
                    .toList()).as("buttons and links without a name on %s", page).isEmpty();
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(((Number) overflow).intValue()).as("horizontal overflow of %s at 1024 px", page).isLessThanOrEqualTo(0);
            // Keyboard: the first Tab reaches the skip link, before the menu.
            browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
            assertThat(browser.switchTo().activeElement().getText()).as("first Tab on %s", page).isEqualTo("Skip to content");
        }
    }

    @Test
    void shouldSendAnUnsignedVisitorToSignIn() {
        // when
        open("/console/consents");

        // then
        assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in");
        assertThat(browser.findElement(By.cssSelector("label[for=role-auditor]")).getText()).isEqualTo("auditor");
    }

    private void signIn(String role) throws IOException {
        open("/console/sign-in");
        screenshot("sign-in");
        browser.findElement(By.id("role-" + role)).click();
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.not(ExpectedConditions.urlContains("/sign-in")));
    }

    private void open(String path) {
        browser.get("http://localhost:" + port + path);
    }

    private void waitUntilPageShows(String text) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> driver.getPageSource().contains(text));
    }

    private List<String> texts(By selector) {
        return browser.findElements(selector).stream().map(WebElement::getText).toList();
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private IGenericClient fhir() {
        return TestTokens.authorised(FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir"));
    }
}
