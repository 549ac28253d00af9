# syntax=docker/dockerfile:1
# imagesim container image.
#   docker build -t imagesim .                                              CPU image
#   docker build -t imagesim:gpu --build-arg MAVEN_PROFILES=-Pcuda \
#     --build-arg RUNTIME_BASE=nvidia/cuda:12.4.1-runtime-ubuntu22.04 .     CUDA 12.4 image
# The PyTorch natives are inside the application jar and are unpacked into <data-dir>/djl-cache on first
# start; nothing is downloaded at run time.
ARG RUNTIME_BASE=eclipse-temurin:17-jre

FROM eclipse-temurin:17-jdk AS build
ARG MAVEN_PROFILES=""
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q ${MAVEN_PROFILES} dependency:go-offline
COPY src src
RUN ./mvnw -B -ntp -q ${MAVEN_PROFILES} -DskipTests package \
 && java -Djarmode=tools -jar target/imagesim-*.jar extract --layers --launcher --destination /layers

FROM ${RUNTIME_BASE} AS runtime
# the CUDA base has no Java; on the Temurin base this is the same JRE again
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:$PATH
COPY --from=eclipse-temurin:17-jre /opt/java/openjdk /opt/java/openjdk
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data imagesim && mkdir -p /data && chown imagesim /data
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# the heap, and so the vector index, on transparent huge pages where the host allows them
ENV IMAGESIM_DATA_DIR=/data OMP_WAIT_POLICY=PASSIVE \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseTransparentHugePages"
VOLUME /data
EXPOSE 8080
USER imagesim
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
# jdk.incubator.vector: SIMD distances in the vector index (scalar without it); ExplicitGCInvokesConcurrent: the
# one collection per model load (it frees DJL's direct buffers) as a concurrent cycle instead of a pause
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-XX:+ExplicitGCInvokesConcurrent", \
    "org.springframework.boot.loader.launch.JarLauncher"]
