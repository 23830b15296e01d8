package org.newbornregistry.routes.conformance;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Paging of searches and histories: {@code _count} is honoured, {@code next} links lead through
 * every match exactly once, a page's {@code self} link serves that page again, a {@code previous}
 * link serves the page before, and {@code _total=accurate} gives the number of matches.
 */
class PagingConformanceIT extends ConformanceTestSupport {

    private static final int NEWBORNS = 7;

    private static String system;
    private static List<String> newborns;
    private static String query;

    @BeforeAll
    static void createNewborns() {
        assumeThat(declaredType("Patient")).as("Patient declared").isPresent();
        system = uniqueSystem();
        Transaction transaction = new Transaction();
        for (int i = 0; i < NEWBORNS; i++) {
            Patient newborn = new Patient();
            newborn.addIdentifier().setSystem(system).setValue("P" + i);
            transaction.create(newborn);
        }
        newborns = transaction.commit();
        query = "Patient?identifier=" + system + "|";
    }

    @Test
    void shouldReturnEveryMatchOnceWhenFollowingNextLinks() {
        // when
        List<Bundle> pages = followNext(search(query + "&_count=3&_total=accurate"));

        // then
        assertThat(pages).extracting(page -> page.getEntry().size()).containsExactly(3, 3, 1);
        assertThat(pages).flatExtracting(ConformanceTestSupport::matches).containsExactlyInAnyOrderElementsOf(newborns);
        assertThat(pages.get(0).hasTotal()).as("total of the first page, asked with _total=accurate").isTrue();
        assertThat(pages).filteredOn(Bundle::hasTotal).extracting(Bundle::getTotal).containsOnly(NEWBORNS);
    }

    @Test
    void shouldReturnAtMostCountMatchesWhenCountIsGiven() {
        // when
        Bundle two = search(query + "&_count=2");
        Bundle all = search(query + "&_count=" + (NEWBORNS + 1));

        // then
        assertThat(matches(two)).hasSize(2);
        assertThat(two.getLink(Bundle.LINK_NEXT)).isNotNull();
        assertThat(matches(all)).containsExactlyInAnyOrderElementsOf(newborns);
        assertThat(all.getLink(Bundle.LINK_NEXT)).as("next link of a page holding every match").isNull();
    }

    @Test
    void shouldServeTheSamePageWhenFollowingItsSelfLink() {
        // given
        List<Bundle> pages = followNext(search(query + "&_count=3"));

        // when
        List<List<String>> again = pages.stream().map(page -> matches(load(page.getLink(Bundle.LINK_SELF).getUrl()))).toList();

        // then
        assertThat(again).containsExactlyElementsOf(pages.stream().map(ConformanceTestSupport::matches).toList());
    }

    @Test
    void shouldServeThePageBeforeWhenFollowingAPreviousLinkOfASearch() {
        // given
        List<Bundle> pages = followNext(search(query + "&_count=3"));
        assumeThat(pages.subList(1, pages.size())).as("search pages after the first that link a previous page")
                .anyMatch(page -> previous(page).isPresent());

        // then
        for (int i = 1; i < pages.size(); i++) {
            Optional<String> previous = previous(pages.get(i));
            if (previous.isPresent()) {
                assertThat(matches(load(previous.get()))).isEqualTo(matches(pages.get(i - 1)));
            }
        }
    }

    @Test
    void shouldPageThroughHistoryBothWaysWhenCountIsOne() {
        // given
        assumeThat(declaredType("Patient")).get()
                .matches(t -> declares(t, TypeRestfulInteraction.HISTORYINSTANCE) && declares(t, TypeRestfulInteraction.UPDATE));
        IdType id = new IdType(newborns.get(0));
        for (String language : List.of("en-US", "fr-FR", "de-DE")) {
            Patient current = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
            client.update().resource(current.setLanguage(language)).execute();
        }

        // when
        List<Bundle> pages = followNext(client.history().onInstance(id).returnBundle(Bundle.class).count(1).execute());

        // then
        assertThat(pages).extracting(page -> page.getEntryFirstRep().getResource().getMeta().getVersionId())
                .containsExactly("4", "3", "2", "1");
        assertThat(pages).filteredOn(Bundle::hasTotal).extracting(Bundle::getTotal).containsOnly(4);
        for (int i = 0; i < pages.size(); i++) {
            assertThat(versionsOf(load(pages.get(i).getLink(Bundle.LINK_SELF).getUrl()))).isEqualTo(versionsOf(pages.get(i)));
            if (i > 0) {
                assertThat(previous(pages.get(i))).as("previous link of history page %s", i + 1).isPresent();
                assertThat(versionsOf(load(previous(pages.get(i)).orElseThrow()))).isEqualTo(versionsOf(pages.get(i - 1)));
            }
        }
    }

    private static List<Bundle> followNext(Bundle first) {
        List<Bundle> pages = new ArrayList<>();
        Bundle page = first;
        pages.add(page);
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            assertThat(pages).as("pages followed").hasSizeLessThan(NEWBORNS + 2);
            page = client.loadPage().next(page).execute();
            pages.add(page);
        }
        return pages;
    }

    private static Bundle load(String url) {
        return client.loadPage().byUrl(url).andReturnBundle(Bundle.class).execute();
    }

    /** R4 names the link {@code previous}; {@code prev} is the older spelling some servers use. */
    private static Optional<String> previous(Bundle page) {
        return page.getLink().stream().filter(l -> l.getRelation().equals("previous") || l.getRelation().equals("prev"))
                .map(Bundle.BundleLinkComponent::getUrl).findFirst();
    }

    private static List<String> versionsOf(Bundle page) {
        return page.getEntry().stream().map(e -> e.getResource().getMeta().getVersionId()).toList();
    }
}
