package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.imagesim.ImagesimException;
import dev.imagesim.RequestLimits;
import dev.imagesim.search.SearchHit;
import dev.imagesim.search.SearchResult;
import dev.imagesim.search.SearchService;
import dev.imagesim.security.ApiProperties;

/**
 * How a search request maps onto {@link SearchService} and its answer or failure onto HTTP, with the web layer
 * alone (a {@code @WebMvcTest} slice): which fields a body may have, which of body and query parameters wins,
 * and problem+json for every refusal. What the search finds is the HTTP suites' business (SearchFlowTest).
 */
@WebMvcTest(controllers = SearchController.class)
@Import(RequestParts.class)
@EnableConfigurationProperties({RequestLimits.class, ApiProperties.class})
class SearchMappingTest {

    private static final String SEARCH = "/api/v1/collections/shoes/search";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    SearchService search;

    @Test
    void aVectorQueryTakesKFromTheBodyBeforeTheQueryString() {
        when(search.byVector(eq("shoes"), any(), eq(3), isNull(), eq(Map.of()), isNull()))
                .thenReturn(new SearchResult(List.of(new SearchHit("red", 0.25f, 0.75f, null, null)), "m1", 2));
        MvcTestResult result = mvc.post().uri(SEARCH + "?k=9").contentType(MediaType.APPLICATION_JSON)
                .content("{\"vector\":[0.5,0.5],\"k\":3}").exchange();
        assertThat(result).hasStatusOk().bodyJson().extractingPath("$.results[0].id").isEqualTo("red");
        assertThat(result).bodyJson().extractingPath("$.model").isEqualTo("m1");
    }

    @Test
    void anIdQueryTakesKAndEfFromTheQueryStringWhenTheBodyHasNone() {
        when(search.byId("shoes", "red", 4, 80, Map.of(), null)).thenReturn(new SearchResult(List.of(), "m1", 1));
        assertThat(mvc.post().uri(SEARCH + "?k=4&ef=80").contentType(MediaType.APPLICATION_JSON)
                .content("{\"id\":\"red\"}").exchange()).hasStatusOk();
        verify(search).byId("shoes", "red", 4, 80, Map.of(), null);
    }

    @Test
    void exactlyOneOfVectorAndIdIsRequired() {
        assertProblem(mvc.post().uri(SEARCH).contentType(MediaType.APPLICATION_JSON)
                .content("{\"vector\":[1],\"id\":\"red\"}").exchange(), 400, "query-malformed");
        assertProblem(mvc.post().uri(SEARCH).contentType(MediaType.APPLICATION_JSON).content("{\"k\":3}")
                .exchange(), 400, "query-malformed");
        verifyNoInteractions(search);
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        MvcTestResult result = mvc.post().uri(SEARCH).contentType(MediaType.APPLICATION_JSON)
                .content("{\"id\":\"red\",\"filters\":{}}").exchange();
        assertProblem(result, 400, "request-field-unknown");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'filters'", "filter");
        verifyNoInteractions(search);
    }

    @Test
    void malformedBodiesAndFiltersAreRefused() {
        assertProblem(mvc.post().uri(SEARCH).contentType(MediaType.APPLICATION_JSON).content("{not json")
                .exchange(), 400, "body-malformed");
        assertProblem(mvc.post().uri(SEARCH).contentType(MediaType.APPLICATION_JSON)
                .content("{\"id\":\"red\",\"filter\":[1]}").exchange(), 400, null);
        assertThat(mvc.post().uri(SEARCH).contentType(MediaType.TEXT_PLAIN).content("red").exchange())
                .hasStatus(415);
        verifyNoInteractions(search);
    }

    @Test
    void anImageSearchNeedsItsImagePart() {
        assertProblem(mvc.post().uri(SEARCH).multipart().file(new MockMultipartFile("picture", new byte[] {1}))
                .exchange(), 400, null);
        verifyNoInteractions(search);
    }

    @Test
    void failuresOfTheSearchBecomeProblems() {
        when(search.byId(eq("shoes"), anyString(), any(), any(), any(), any()))
                .thenThrow(ImagesimException.notFound("image-not-found", "no image 'gone' in collection 'shoes'"));
        MvcTestResult result = mvc.post().uri(SEARCH).contentType(MediaType.APPLICATION_JSON)
                .content("{\"id\":\"gone\"}").exchange();
        assertProblem(result, 404, "image-not-found");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'gone'");
    }

    /** A problem+json answer with this status and, unless null, this code. */
    private static void assertProblem(MvcTestResult result, int status, String code) {
        assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (code != null) {
            assertThat(result).bodyJson().extractingPath("$.code").isEqualTo(code);
        }
    }
}
