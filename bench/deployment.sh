#!/usr/bin/env bash
# Deployment against simulation on one configuration (issue 8), measured in one run:
#   bash bench/deployment.sh [training options...]
# Runs `simulate`, then `serve` with one `join` process per client over TLS on 127.0.0.1 (certificates
# made with openssl, as in README), with the same seed and options, and prints the seconds per round of
# each, their ratio, and the bytes sent per round (up: clients' updates; down: global weights). The
# default configuration is resnet18 on Fashion-MNIST with 4 clients, all of them in every round.
set -euo pipefail
cd "$(dirname "$0")/.."
./fedlayers --help > /dev/null                     # set-up and CLI build, outside the timings
command -v openssl > /dev/null || { echo "bench/deployment.sh needs openssl (apt-get install openssl)" >&2; exit 2; }
fedlayers() { dotnet .build/cli/FedLayers.Cli.dll "$@"; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2> /dev/null || true; rm -rf "$work"' EXIT
clients=4
# the probe DEPLOYMENT.md's figures were measured with (strategic is the default strategy): the defaults before issues 17 and 18
options=(--model resnet18 --clients-per-round "$clients" --rounds 3 --local-steps 10 --max-samples-per-client 500 --eval-samples 2000 --seed 1
  --probe-estimator batch-sum --probe-mode eval --probe-batches 5)
if [ $# -gt 0 ]; then options=("$@"); fi

# Certificates: a CA, and a server certificate for 127.0.0.1 signed by it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=FedLayers bench CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2> /dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" -keyout "$work/server.key" -out "$work/server.csr" 2> /dev/null
echo "subjectAltName=IP:127.0.0.1,DNS:localhost" > "$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/server.ext" -out "$work/server.pem" 2> /dev/null
for i in $(seq 0 $((clients - 1))); do
  fedlayers token --client-id "client-$i" | grep -v '^#' > "$work/token-$i"
  sed -n 2p "$work/token-$i" >> "$work/clients.txt"
done

fedlayers simulate --clients "$clients" "${options[@]}" --out "$work/simulation" > "$work/simulation.log"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fedlayers serve --listen "127.0.0.1:$port" --tls-cert "$work/server.pem" --tls-key "$work/server.key" \
  --clients-file "$work/clients.txt" "${options[@]}" --out "$work/deployment" > "$work/serve.log" &
server=$!
for i in $(seq 0 $((clients - 1))); do
  fedlayers join --server "https://127.0.0.1:$port" --ca-cert "$work/ca.pem" --client-id "client-$i" \
    --token "$(sed -n 1p "$work/token-$i")" > "$work/join-$i.log" &
done
wait "$server"
wait

# Means over the training rounds (round 0 only evaluates).
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def rounds(run):
    return [json.loads(line) for line in open(f"{work}/{run}/metrics.jsonl")][1:]
sim, dep = rounds("simulation"), rounds("deployment")
mean = lambda xs: sum(xs) / len(xs)
sim_s, dep_s = mean([r["seconds"] for r in sim]), mean([r["seconds"] for r in dep])
print(f"simulation_round_seconds: {sim_s:.2f}")
print(f"deployment_round_seconds: {dep_s:.2f}")
print(f"deployment_vs_simulation_round_time: {dep_s / sim_s:.3f}")
print(f"upload_bytes_per_round: {mean([r['upload_bytes'] for r in dep]):.0f}")
print(f"download_bytes_first_round: {dep[0]['download_bytes']}")
if len(dep) > 1:
    print(f"download_bytes_per_later_round: {mean([r['download_bytes'] for r in dep[1:]]):.0f}")
same = [round(a["test_accuracy"], 12) == round(b["test_accuracy"], 12) for a, b in zip(sim, dep)]
print(f"same_test_accuracy_every_round: {all(same)}")
PY
