"""kafka-python against periscope-broker: admin, producer, consumer group with commits.

Run by tst_peers with Debian's python3 and the broker's bootstrap address as argument.
Prints one line 'OK produced=N consumed=N committed=N' when everything checks out.
"""
import sys

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic

COUNT = 500
TOPIC = "python-peer"
GROUP = "python-peer-group"


def main(bootstrap):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    admin.create_topics([NewTopic(TOPIC, 3, 1, topic_configs={"retention.ms": "86400000"})])
    described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, TOPIC)])
    entries = {e[0]: e[1] for e in described[0].resources[0][4]}
    assert entries["retention.ms"] == "86400000", entries
    assert entries["cleanup.policy"] == "delete", entries

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    base = 1700000000000
    futures = [producer.send(TOPIC, key=b"k%d" % i, value=b"value-%d" % i, partition=i % 3,
                             timestamp_ms=base + i * 1000) for i in range(COUNT)]
    producer.flush()
    assert all(f.get(timeout=10).offset >= 0 for f in futures)
    producer.close()

    # By time: message i sits in partition i % 3 at offset i // 3, stamped base + i s. A
    # time between two messages finds the later one, with its own timestamp.
    looker = KafkaConsumer(bootstrap_servers=bootstrap)
    wanted = base + 300 * 1000 + 500  # just after message 300 (partition 0)
    found = looker.offsets_for_times({TopicPartition(TOPIC, p): wanted for p in range(3)})
    first = {0: 303, 1: 301, 2: 302}  # the first message of each partition at or after it
    for tp, hit in found.items():
        i = first[tp.partition]
        assert hit.offset == i // 3 and hit.timestamp == base + i * 1000, (tp, hit)
    looker.close()

    consumer = KafkaConsumer(TOPIC, bootstrap_servers=bootstrap, group_id=GROUP,
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             consumer_timeout_ms=15000)
    values = set()
    for message in consumer:
        assert message.value == b"value-" + message.key[1:], message
        values.add(message.value)
        if len(values) == COUNT:
            break
    consumer.commit()
    partitions = [TopicPartition(TOPIC, p) for p in range(3)]
    committed = sum(consumer.committed(tp) or 0 for tp in partitions)
    consumer.close()

    offsets = admin.list_consumer_group_offsets(GROUP)
    assert sum(o.offset for o in offsets.values()) == committed, offsets
    groups = dict(admin.list_consumer_groups())
    assert groups.get(GROUP) == "consumer", groups
    admin.close()
    print("OK produced=%d consumed=%d committed=%d" % (COUNT, len(values), committed))


if __name__ == "__main__":
    main(sys.argv[1])
