#!/bin/bash
# The ledger's topics, created once with their configuration (the brokers do not auto-create):
#   cadre-ledger.events.v3       every stored event, key = cadreId (or unitId); kept as the feed's history (personal data)
#   cadre-ledger.events.v2       the same events without v3's heldBy and measureTakenBy (still published)
#   cadre-ledger.eligibility.v2  the latest verdict per cadre, key = cadreId: compacted (personal data)
#   cadre-ledger.stats.v1        figures per unit and year, key = unit/year: compacted (no personal data)
#   cadre-ledger.tree-heads.v1   every signed tree head, key = tree size: kept forever
#   cadre-ledger.checkpoints.v1  every C2SP checkpoint with its witness cosignatures, key = tree size: kept forever
#   cadre-ledger.events.v1, cadre-ledger.eligibility.v1: deprecated (KAFKA_PUBLISH_V1=off stops them)
# (`ledger kafka topics` prints the same plan; the relay creates missing topics itself where allowed.)
set -euo pipefail
topics=/opt/kafka/bin/kafka-topics.sh
create() {
  "$topics" --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists --topic "$1" \
    --partitions "$2" --replication-factor "$REPLICATION_FACTOR" --config min.insync.replicas=2 "${@:3}"
}
create cadre-ledger.events.v3 "$PARTITIONS" --config retention.ms=-1
create cadre-ledger.events.v2 "$PARTITIONS" --config retention.ms=-1
create cadre-ledger.eligibility.v2 "$PARTITIONS" --config cleanup.policy=compact --config min.compaction.lag.ms=60000
create cadre-ledger.stats.v1 1 --config cleanup.policy=compact
create cadre-ledger.events.v1 "$PARTITIONS" --config retention.ms=-1
create cadre-ledger.eligibility.v1 "$PARTITIONS" --config cleanup.policy=compact --config min.compaction.lag.ms=60000
create cadre-ledger.tree-heads.v1 1 --config retention.ms=-1
create cadre-ledger.checkpoints.v1 1 --config retention.ms=-1
"$topics" --bootstrap-server "$BOOTSTRAP_SERVERS" --describe --topic 'cadre-ledger\..*'
