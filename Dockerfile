# Build: the SDK image compiles and publishes the server.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/NationalDns/NationalDns.csproj -c Release -o /app

# Run: the ASP.NET Core runtime image (Kestrel serves --http: metrics, probes, admin API; and the optional block page), the published server,
# and the shipped lists as a volume.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY blocklists/ /blocklists/
VOLUME /blocklists
# The query log (querylog.db, --data-dir ./data) is /app/data: owned by the app user, a volume so it outlives the container.
RUN mkdir /app/data && chown app:app /app/data
VOLUME /app/data
EXPOSE 53/udp 53/tcp 8080/tcp
# The image's unprivileged "app" user (UID 1654), with no capabilities at all: Docker lets containers bind ports
# below 1024 without one (net.ipv4.ip_unprivileged_port_start=0 is the container default), and the Kubernetes
# manifests (deploy/kubernetes) listen on 1053 behind a Service on 53. Where neither holds, lower that per-namespace
# sysctl for the container (docker run --sysctl net.ipv4.ip_unprivileged_port_start=53, or a pod's
# securityContext.sysctls) instead of granting a capability; see docs/operations.md.
USER app
# Settings as environment variables, so arguments given to "docker run" add to them instead of replacing them.
ENV NATIONALDNS_LISTEN=0.0.0.0:53 \
    NATIONALDNS_BLOCKLIST=/blocklists
ENTRYPOINT ["dotnet", "/app/nationaldns.dll"]
