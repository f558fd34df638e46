# Build: the SDK image compiles and publishes the server.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/NationalDns/NationalDns.csproj -c Release -o /app

# Run: the runtime image with ASP.NET Core (Kestrel serves the optional block page), the published server,
# and the shipped lists as a volume.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY blocklists/ /blocklists/
VOLUME /blocklists
EXPOSE 53/udp 53/tcp
# The image's unprivileged "app" user; Docker lets containers bind ports below 1024 without root
# (net.ipv4.ip_unprivileged_port_start=0 is the container default).
USER app
# Settings as environment variables, so arguments given to "docker run" add to them instead of replacing them.
ENV NATIONALDNS_LISTEN=0.0.0.0:53 \
    NATIONALDNS_BLOCKLIST=/blocklists
ENTRYPOINT ["dotnet", "/app/nationaldns.dll"]
