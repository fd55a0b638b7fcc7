#!/usr/bin/env bash
# Which TLS versions a gmm worker node negotiates: starts one TLS node on loopback with a throwaway self-signed
# certificate and offers it TLS 1.2, then TLS 1.3, with openssl s_client. Prints one line per version.
# Usage: tests/tls/tls-versions.sh   (after `dotnet build DistributedGmm.sln -c Release`; needs openssl)
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
GMM_DLL="${GMM_DLL:-$ROOT/src/DistributedGmm.Cli/bin/Release/net10.0/gmm.dll}"
WORK="$(mktemp -d)"
NODE=""
trap '[ -n "$NODE" ] && kill "$NODE" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"
openssl req -x509 -newkey rsa:2048 -sha256 -days 1 -nodes -subj /CN=gmm-probe \
  -addext extendedKeyUsage=serverAuth,clientAuth -keyout key.pem -out cert.pem 2>/dev/null
openssl pkcs12 -export -inkey key.pem -in cert.pem -out node.pfx -passout pass:probe
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
GMM_TLS_PASSWORD=probe timeout 120 dotnet "$GMM_DLL" node --role worker --port "$port" \
  --seed-nodes "akka.tcp://gmm@127.0.0.1:$port" --tls-certificate node.pfx --tls-suppress-validation >node.log 2>&1 &
NODE=$!
for _ in $(seq 600); do grep -q "gmm node: up at" node.log && break; sleep 0.1; done
grep -q "gmm node: up at" node.log || { echo "the node did not come up:"; cat node.log; exit 1; }
for version in tls1_2 tls1_3; do
  line=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" "-$version" -cert cert.pem -key key.pem 2>&1 \
    | grep -E "^New, |alert" | head -1)
  echo "$version: $line"
done
