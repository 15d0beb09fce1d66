#!/usr/bin/env bash
# Run a Kafka command-line tool from the jars deploy/local/up.sh uses (no Kafka tarball needed).
#
#   deploy/local/kafka-cli.sh topics --bootstrap-server 127.0.0.1:9092 --list
#   deploy/local/kafka-cli.sh topics --bootstrap-server 127.0.0.1:9092 --create --topic t --partitions 3
#   deploy/local/kafka-cli.sh console-consumer --bootstrap-server 127.0.0.1:9092 --topic t --from-beginning
#   deploy/local/kafka-cli.sh org.apache.kafka.tools.SomeOtherTool ...   (any fully qualified class)
#
# Short names: topics, console-producer, console-consumer, consumer-groups,
# api-versions, configs, storage, get-offsets, delete-records.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

if (($# == 0)) || [[ $1 == -h || $1 == --help ]]; then
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tool=$1
shift
case $tool in
  topics) class=org.apache.kafka.tools.TopicCommand ;;
  console-producer) class=org.apache.kafka.tools.ConsoleProducer ;;
  console-consumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  consumer-groups) class=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  api-versions) class=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
  configs) class=kafka.admin.ConfigCommand ;;
  storage) class=kafka.tools.StorageTool ;;
  get-offsets) class=org.apache.kafka.tools.GetOffsetShell ;;
  delete-records) class=org.apache.kafka.tools.DeleteRecordsCommand ;;
  *.*) class=$tool ;;
  *) die "unknown tool '$tool' (see --help)" ;;
esac

if [[ ! -f $KAFKA_LIB_DIR/.complete || $(<"$KAFKA_LIB_DIR/.complete") != "$(pom_hash)" ]]; then
  take_lock
  ensure_kafka_jars
  exec 9>&-
fi
exec java "${TOOL_JAVA_OPTS[@]}" -cp "$KAFKA_LIB_DIR/*" "$class" "$@"
