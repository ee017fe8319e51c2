# A static migrate binary in an otherwise empty image.
#
#   docker build -t migrate .
#   docker run --rm -v "$PWD:/work" --user "$(id -u):$(id -g)" -e DATABASE_URL migrate upgrade head
#
# The binary is pure Go (CGO_ENABLED=0: pgx and modernc.org/sqlite need no
# C library), so the final image holds only it, the CA certificates for
# TLS connections to PostgreSQL, and the zone database.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/migrate ./cmd/migrate

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/go/lib/time/zoneinfo.zip /zoneinfo.zip
COPY --from=build /out/migrate /migrate
ENV ZONEINFO=/zoneinfo.zip
WORKDIR /work
USER 65534:65534
ENTRYPOINT ["/migrate"]
