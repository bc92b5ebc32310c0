# Sluice image: builds the jar with Maven, runs it on a JRE. Used by docker-compose.yml.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q --no-transfer-progress dependency:go-offline
COPY schemas schemas
COPY src src
RUN mvn -B -q --no-transfer-progress -Dmaven.test.skip=true package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/sluice.jar /app/sluice.jar
COPY --from=build /src/target/lib /app/lib
COPY topologies /app/topologies
ENV SLUICE_HOME=/app
# Custom plugin jars: mount a folder here (default plugin path: plugins/ beside the installation).
RUN mkdir /app/plugins
VOLUME /app/plugins
ENTRYPOINT ["java", "-Xms256m", "-Xmx1g", "-jar", "/app/sluice.jar"]
CMD ["run"]
