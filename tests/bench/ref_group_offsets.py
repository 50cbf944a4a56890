"""Reference for bench_groups: kafka-python's admin client reading every group's offsets.

Run by bench_groups with Debian's python3 and the broker's bootstrap address as argument.
Lists the groups, then asks for each group's committed offsets one group at a time (the
only way kafka-python's admin API offers). Prints 'OK groups=N partitions=N ms=T', where T
covers the listing and the offset requests but not the connecting and the imports, so it
compares with one LagSampler refresh on an already connected client.
"""
import sys
import time

from kafka import KafkaAdminClient


def main(bootstrap):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=60000)
    start = time.monotonic()
    groups = admin.list_consumer_groups()
    partitions = 0
    for group_id, _protocol in groups:
        partitions += len(admin.list_consumer_group_offsets(group_id))
    elapsed_ms = (time.monotonic() - start) * 1000.0
    admin.close()
    print("OK groups=%d partitions=%d ms=%.1f" % (len(groups), partitions, elapsed_ms))


if __name__ == "__main__":
    main(sys.argv[1])
