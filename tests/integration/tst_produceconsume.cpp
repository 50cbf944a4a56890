// Produce through librdkafka into a real periscope-broker and read everything back.
#include "kafka.h"
#include "testbroker.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <QtEndian>

using namespace periscope::test;

class TestProduceConsume : public QObject
{
    Q_OBJECT

private:
    TestBroker m_broker;
    KafkaHandle m_admin;

    struct Expected
    {
        bool keyNull;
        std::string key;
        bool valueNull;
        std::string value;
        std::int64_t timestamp;
        std::string header;
    };
    static Expected expectedFor(int i, std::int64_t baseTs)
    {
        Expected e;
        e.keyNull = i % 10 == 0;
        e.key = e.keyNull ? std::string() : "key-" + std::to_string(i);
        e.valueNull = i % 13 == 0;
        if (!e.valueNull && i % 7 != 0) {
            // Binary values of varying length, every byte value included.
            e.value.resize(static_cast<std::size_t>(i % 300));
            for (std::size_t b = 0; b < e.value.size(); ++b)
                e.value[b] = static_cast<char>((i + static_cast<int>(b)) & 0xff);
        }
        e.timestamp = baseTs + i;
        e.header = std::to_string(i);
        return e;
    }

    void produce(rd_kafka_t *producer, const std::string &topic, int i, int partition,
                 const Expected &e)
    {
        rd_kafka_headers_t *headers = rd_kafka_headers_new(2);
        rd_kafka_header_add(headers, "index", -1, e.header.data(),
                            static_cast<ssize_t>(e.header.size()));
        rd_kafka_header_add(headers, "empty", -1, nullptr, 0);
        rd_kafka_resp_err_t err;
        do {
            err = rd_kafka_producev(
                producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                RD_KAFKA_V_KEY(e.keyNull ? nullptr : e.key.data(), e.key.size()),
                RD_KAFKA_V_VALUE(e.valueNull ? nullptr : const_cast<char *>(e.value.data()),
                                 e.value.size()),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_TIMESTAMP(e.timestamp),
                RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                rd_kafka_poll(producer, 10);
        } while (err == RD_KAFKA_RESP_ERR__QUEUE_FULL);
        QCOMPARE(err, RD_KAFKA_RESP_ERR_NO_ERROR);
        Q_UNUSED(i);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_admin = makeAdmin(m_broker.bootstrapStd());
        QVERIFY(m_admin);
    }

    void hundredThousandMessagesRoundTrip()
    {
        const std::string topic = "bulk";
        const int partitions = 3;
        const int count = 100000;
        QCOMPARE(createTopic(m_admin.get(), topic, partitions), std::string());
        auto producer =
            makeProducer(m_broker.bootstrapStd(), {{"acks", "all"}, {"linger.ms", "5"}});
        QVERIFY(producer);
        deliveryFailures = 0;
        const std::int64_t baseTs = 1700000000000;
        for (int i = 0; i < count; ++i)
            produce(producer.get(), topic, i, i % partitions, expectedFor(i, baseTs));
        QCOMPARE(flushProducer(producer.get()), 0);
        QCOMPARE(deliveryFailures.load(), 0);

        const auto got = readAll(m_broker.bootstrapStd(), topic, partitions, count);
        QCOMPARE(got.size(), std::size_t(count));
        std::vector<std::int64_t> nextOffset(partitions, 0);
        std::vector<int> seen(count, 0);
        for (const Message &m : got) {
            QVERIFY(m.partition >= 0 && m.partition < partitions);
            // Offsets in one partition are dense and in order; message i is the
            // (i / partitions)-th of partition i % partitions.
            QCOMPARE(m.offset, nextOffset[m.partition]++);
            const int i = static_cast<int>(m.offset) * partitions + m.partition;
            const Expected e = expectedFor(i, baseTs);
            QCOMPARE(m.keyNull, e.keyNull);
            QCOMPARE(m.key, e.key);
            QCOMPARE(m.valueNull, e.valueNull);
            QCOMPARE(m.value, e.value);
            QCOMPARE(m.timestamp, e.timestamp);
            QCOMPARE(m.headers.size(), std::size_t(2));
            QCOMPARE(m.headers[0].first, std::string("index"));
            QCOMPARE(m.headers[0].second, e.header);
            QCOMPARE(m.headers[1].first, std::string("empty"));
            ++seen[i];
        }
        QVERIFY(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
    }

    void offsetsForTimestamps()
    {
        // Message i of "bulk" has timestamp base + i, in partition i % 3 at offset i / 3.
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(3);
        for (int p = 0; p < 3; ++p)
            rd_kafka_topic_partition_list_add(list, "bulk", p)->offset = 1700000000000 + 30000;
        QCOMPARE(rd_kafka_offsets_for_times(m_admin.get(), list, 10000),
                 RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(list->elems[0].offset, std::int64_t(10000));
        QCOMPARE(list->elems[1].offset, std::int64_t(10000));
        QCOMPARE(list->elems[2].offset, std::int64_t(10000));
        rd_kafka_topic_partition_list_destroy(list);

        std::int64_t low = -1, high = -1;
        QCOMPARE(rd_kafka_query_watermark_offsets(m_admin.get(), "bulk", 0, &low, &high, 10000),
                 RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(low, std::int64_t(0));
        QCOMPARE(high, std::int64_t(33334));
    }

    void idempotentProducer()
    {
        QCOMPARE(createTopic(m_admin.get(), "idem", 2), std::string());
        auto producer = makeProducer(m_broker.bootstrapStd(),
                                     {{"enable.idempotence", "true"}, {"linger.ms", "2"}});
        QVERIFY(producer);
        deliveryFailures = 0;
        for (int i = 0; i < 20000; ++i)
            produce(producer.get(), "idem", i, i % 2, expectedFor(i, 1700000000000));
        QCOMPARE(flushProducer(producer.get()), 0);
        QCOMPARE(deliveryFailures.load(), 0);
        const auto got = readAll(m_broker.bootstrapStd(), "idem", 2, 20000);
        QCOMPARE(got.size(), std::size_t(20000));
        std::int64_t high = -1, low = -1;
        rd_kafka_query_watermark_offsets(m_admin.get(), "idem", 0, &low, &high, 10000);
        QCOMPARE(high, std::int64_t(10000)); // no duplicates written
    }

    void compressedBatches_data()
    {
        QTest::addColumn<QString>("codec");
        for (const char *codec : {"gzip", "snappy", "lz4", "zstd"})
            QTest::newRow(codec) << QString::fromLatin1(codec);
    }

    void compressedBatches()
    {
        QFETCH(QString, codec);
        const std::string topic = "compressed-" + codec.toStdString();
        QCOMPARE(createTopic(m_admin.get(), topic, 1), std::string());
        auto producer =
            makeProducer(m_broker.bootstrapStd(),
                         {{"compression.codec", codec.toStdString()}, {"linger.ms", "20"}});
        deliveryFailures = 0;
        for (int i = 0; i < 5000; ++i)
            produce(producer.get(), topic, i, 0, expectedFor(i, 1700000000000));
        QCOMPARE(flushProducer(producer.get()), 0);
        QCOMPARE(deliveryFailures.load(), 0);
        // The batches on disk really are compressed with the codec (attributes, low 3 bits).
        // librdkafka sends a batch plain when compressing would not make it smaller, so not
        // every batch is; no batch may carry another codec.
        const QDir partition(m_broker.dataDir() + QStringLiteral("/topics/") +
                             QString::fromStdString(topic) + QStringLiteral("/0"));
        const QStringList logs = partition.entryList({QStringLiteral("*.log")}, QDir::Files);
        QVERIFY(!logs.isEmpty());
        QFile log(partition.filePath(logs.first()));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray data = log.readAll();
        const QStringList names = {QString(), QStringLiteral("gzip"), QStringLiteral("snappy"),
                                   QStringLiteral("lz4"), QStringLiteral("zstd")};
        const int expected = int(names.indexOf(codec));
        int compressed = 0;
        for (qsizetype at = 0; at + 23 <= data.size();) {
            const int codecBits = int(data.at(at + 22)) & 7;
            QVERIFY(codecBits == 0 || codecBits == expected);
            compressed += codecBits == expected;
            const auto length = qFromBigEndian<qint32>(data.constData() + at + 8);
            at += 12 + length;
        }
        QVERIFY(compressed > 0);
        const auto got = readAll(m_broker.bootstrapStd(), topic, 1, 5000);
        QCOMPARE(got.size(), std::size_t(5000));
        for (const Message &m : got) {
            const Expected e = expectedFor(static_cast<int>(m.offset), 1700000000000);
            QCOMPARE(m.value, e.value);
            QCOMPARE(m.key, e.key);
        }
    }

    void messageLargerThanTopicLimitIsRefused()
    {
        QCOMPARE(createTopic(m_admin.get(), "small", 1, {{"max.message.bytes", "2000"}}),
                 std::string());
        auto producer = makeProducer(m_broker.bootstrapStd(), {{"message.send.max.retries", "0"}});
        deliveryFailures = 0;
        lastDeliveryError = 0;
        const std::string big(5000, 'x');
        QCOMPARE(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("small"),
                                   RD_KAFKA_V_VALUE(const_cast<char *>(big.data()), big.size()),
                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
                 RD_KAFKA_RESP_ERR_NO_ERROR);
        flushProducer(producer.get(), 15000);
        QCOMPARE(deliveryFailures.load(), 1);
        QCOMPARE(lastDeliveryError.load(), int(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE));
        // A message within the limit still goes through afterwards.
        const std::string fine(100, 'y');
        deliveryFailures = 0;
        rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("small"),
                          RD_KAFKA_V_VALUE(const_cast<char *>(fine.data()), fine.size()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        QCOMPARE(flushProducer(producer.get()), 0);
        QCOMPARE(deliveryFailures.load(), 0);
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        QVERIFY(m_broker.stop());
    }
};

QTEST_GUILESS_MAIN(TestProduceConsume)
#include "tst_produceconsume.moc"
