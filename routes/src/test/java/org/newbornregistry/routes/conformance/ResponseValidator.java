package org.newbornregistry.routes.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Patient;
import org.newbornregistry.fhir.validation.ConformancePackage;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that every FHIR body the suite receives is valid FHIR R4, with HAPI's instance validator
 * offline: issues of severity error or fatal fail the test, warnings do not. Registered on the
 * suite's generic client as a {@code CLIENT_RESPONSE} hook, so no response escapes it; bodies
 * fetched without the client go through {@link #validate}.
 *
 * <p>Bodies are collected and validated together by {@link #assertAllValid}, as the entries of one
 * {@code collection} Bundle. Why: the validator builds its whole context (the OID registry
 * included) for each call, which costs more than validating a small resource; one call per test
 * instead of one per response keeps the suite fast, and the findings are the same. One instance
 * serves the whole suite. Against a deployed adapter the findings name only the location and the
 * validator's message id, because messages may quote the data of real newborns.
 */
@Interceptor
final class ResponseValidator {

    private static final Pattern ENTRY = Pattern.compile("^Bundle\\.entry\\[(\\d+)]\\.resource(.*)$");
    /** The validator marks a nested resource as {@code /*Patient/123*}{@code /}; the suite shows {@code Patient}. */
    private static final Pattern MARKER = Pattern.compile("^/\\*(\\w+)/[^*]*\\*/");

    private final IValidationSupport support;
    private final FhirValidator validator;
    private final boolean quoteMessages;
    private final List<String[]> pending = new ArrayList<>();

    private ResponseValidator(FhirContext fhir, boolean quoteMessages) {
        this.support = validationSupport(fhir);
        this.validator = fhir.newValidator();
        this.validator.registerValidatorModule(new FhirInstanceValidator(support));
        this.quoteMessages = quoteMessages;
    }

    /**
     * The validation support chain the suite checks responses against, built in this one place:
     * the registry's package (so a response that declares a registry profile is held to it), the R4
     * base definitions, common code systems, in-memory terminology and snapshot generation.
     */
    static IValidationSupport validationSupport(FhirContext fhir) {
        PrePopulatedValidationSupport registry = new PrePopulatedValidationSupport(fhir);
        ConformancePackage.load(fhir).resources().forEach(registry::addResource);
        return new ValidationSupportChain(
                registry,
                new DefaultProfileValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
    }

    /** A validator that has validated once, so that its definitions are loaded before the first test. */
    static ResponseValidator warmed(FhirContext fhir, boolean quoteMessages) {
        ResponseValidator responses = new ResponseValidator(fhir, quoteMessages);
        responses.validator.validateWithResult(new Patient().setActive(true));
        return responses;
    }

    /** Keeps the body of each response the generic client receives for validation. */
    @Hook(Pointcut.CLIENT_RESPONSE)
    public void clientResponse(IHttpRequest request, IHttpResponse response) throws IOException {
        String mimeType = response.getMimeType();
        if (mimeType == null || !(mimeType.contains("json") || mimeType.contains("xml"))) {
            return;
        }
        response.bufferEntity();
        StringWriter body = new StringWriter();
        try (Reader reader = response.createReader()) {
            reader.transferTo(body);
        }
        validate(request.getHttpVerbName() + " " + request.getUri().replaceFirst("^[a-zA-Z]+://[^/]+", ""), body.toString());
    }

    /** Keeps one FHIR body (JSON or XML) for validation; {@code request} names it in findings, e.g. {@code GET /fhir/Patient/1}. */
    synchronized void validate(String request, String body) {
        if (!body.isBlank()) {
            pending.add(new String[] {request, body.strip()});
        }
    }

    /** Validates the bodies kept since the last call and fails unless all were valid FHIR R4. */
    synchronized void assertAllValid() {
        List<String[]> bodies = List.copyOf(pending);
        pending.clear();
        List<String> problems = new ArrayList<>();
        List<String[]> json = new ArrayList<>();
        for (String[] body : bodies) {
            if (body[1].startsWith("{")) {
                json.add(body);
            } else {
                validator.validateWithResult(body[1]).getMessages().stream().filter(ResponseValidator::isError)
                        .forEach(m -> problems.add(body[0] + ": " + describe(m, m.getLocationString())));
            }
        }
        if (!json.isEmpty()) {
            StringBuilder collection = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
            for (int i = 0; i < json.size(); i++) {
                // Why: a urn:uuid fullUrl, as R4 gives entries whose resource has no RESTful identity here.
                collection.append(i == 0 ? "" : ",").append("{\"fullUrl\":\"urn:uuid:").append(UUID.randomUUID())
                        .append("\",\"resource\":").append(json.get(i)[1]).append('}');
            }
            collection.append("]}");
            for (SingleValidationMessage message : validator.validateWithResult(collection.toString()).getMessages()) {
                Matcher entry = ENTRY.matcher(String.valueOf(message.getLocationString()));
                // Why: findings outside an entry's resource are about the wrapping Bundle, e.g. two reads of one version.
                if (isError(message) && entry.matches()) {
                    Matcher marker = MARKER.matcher(entry.group(2));
                    String location = marker.find() ? marker.group(1) + entry.group(2).substring(marker.end()) : entry.group(2);
                    problems.add(json.get(Integer.parseInt(entry.group(1)))[0] + ": " + describe(message, location));
                }
            }
        }
        assertThat(problems).as("validation errors in %s response bodies", bodies.size()).isEmpty();
    }

    /** The validation support the validator uses; it also resolves the definitions the CapabilityStatement names. */
    IValidationSupport support() {
        return support;
    }

    private String describe(SingleValidationMessage message, String location) {
        return location + " " + message.getMessageId() + (quoteMessages ? " " + message.getMessage() : "");
    }

    private static boolean isError(SingleValidationMessage message) {
        return message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL;
    }
}
