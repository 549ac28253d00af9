package dev.imagesim.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.RunningService;

/**
 * Secure by default: without keys the server binds to loopback; bound elsewhere on purpose it still turns
 * away non-loopback clients, unless {@code imagesim.api.anonymous=anywhere}. A client on this machine's
 * own non-loopback address stands in for a remote one.
 */
class LoopbackDefaultTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutKeysTheServerListensOnLoopbackOnly() {
        InetAddress external = externalAddress();
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.get("/api/v1/collections").status()).isEqualTo(200);
            assertThatThrownBy(() -> get(external, service.port())).hasCauseInstanceOf(ConnectException.class);
        }
    }

    @Test
    void boundToAllInterfacesWithoutKeysRemoteClientsAreRefused() {
        InetAddress external = externalAddress();
        try (RunningService service = RunningService.start(dataDir, "--server.address=0.0.0.0")) {
            HttpResponse<String> reply = get(external, service.port());
            assertThat(reply.statusCode()).isEqualTo(403);
            assertThat(reply.body()).contains("remote-needs-key");
            assertThat(service.get("/api/v1/collections").status()).isEqualTo(200);
        }
    }

    /** A reverse proxy on this machine forwards remote clients from loopback: they are still remote. */
    @Test
    void requestsForwardedByAProxyOnThisMachineAreNotLoopback() {
        try (RunningService service = RunningService.start(dataDir)) {
            for (String header : List.of("X-Forwarded-For", "Forwarded", "X-Real-IP")) {
                Reply reply = service.request("GET", "/api/v1/collections", null, null, header,
                        header.equals("Forwarded") ? "for=203.0.113.7" : "203.0.113.7");
                assertThat(reply.status()).as(header).isEqualTo(403);
                assertThat(reply.json().get("code").asString()).isEqualTo("remote-needs-key");
            }
            assertThat(service.get("/actuator/health").status()).isEqualTo(200);
        }
    }

    @Test
    void anonymousAnywhereOpensTheServer() {
        InetAddress external = externalAddress();
        try (RunningService service = RunningService.start(dataDir, "--imagesim.api.anonymous=anywhere")) {
            assertThat(get(external, service.port()).statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(InetAddress address, int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + address.getHostAddress() + ":" + port + "/api/v1/collections")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("request failed", e);
        }
    }

    private static InetAddress externalAddress() {
        Optional<InetAddress> address = Optional.empty();
        try {
            address = NetworkInterface.networkInterfaces()
                    .filter(LoopbackDefaultTest::isUp)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .findFirst();
        } catch (IOException e) {
            Assumptions.abort("cannot list network interfaces: " + e.getMessage());
        }
        Assumptions.assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address to test with");
        return address.get();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (IOException e) {
            return false;
        }
    }
}
