// Other Kafka clients against periscope-broker: kcat (librdkafka's CLI) and kafka-python,
// an independent implementation of the protocol.
#include "kafka.h"
#include "process.h"
#include "testbroker.h"

#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace periscope::test;

namespace {
const QString kKcat = QStringLiteral("/usr/bin/kcat");
// Debian's interpreter, where python3-kafka lives (another python3 may come first on PATH).
const QString kPython = QStringLiteral("/usr/bin/python3");

} // namespace

class TestPeers : public QObject
{
    Q_OBJECT

    TestBroker m_broker;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_broker.start()); }

    void kcatProduceConsumeAndList()
    {
        if (!QFileInfo(kKcat).isExecutable())
            QSKIP("kcat is not installed (./dev installs it)");
        const QString b = m_broker.bootstrap();
        QByteArray lines;
        for (int i = 0; i < 200; ++i)
            lines += "key" + QByteArray::number(i) + ":value " + QByteArray::number(i) + "\n";
        Run produce = run(kKcat,
                          {QStringLiteral("-b"), b, QStringLiteral("-P"), QStringLiteral("-t"),
                           QStringLiteral("kcat-topic"), QStringLiteral("-K:")},
                          lines);
        QVERIFY2(produce.exitCode == 0, qPrintable(produce.err));

        Run list = run(kKcat, {QStringLiteral("-b"), b, QStringLiteral("-L")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(QStringLiteral("1 brokers:")));
        QVERIFY(list.out.contains(QStringLiteral("(controller)")));
        QVERIFY(list.out.contains(QStringLiteral("topic \"kcat-topic\" with 1 partitions")));

        Run consume =
            run(kKcat, {QStringLiteral("-b"), b, QStringLiteral("-C"), QStringLiteral("-t"),
                        QStringLiteral("kcat-topic"), QStringLiteral("-e"), QStringLiteral("-q"),
                        QStringLiteral("-f"), QStringLiteral("%k:%s\\n")});
        QCOMPARE(consume.exitCode, 0);
        QCOMPARE(consume.out.toUtf8(), lines);
    }

    void kcatBalancedConsumerCommits()
    {
        if (!QFileInfo(kKcat).isExecutable())
            QSKIP("kcat is not installed (./dev installs it)");
        Run group =
            run(kKcat, {QStringLiteral("-b"), m_broker.bootstrap(), QStringLiteral("-G"),
                        QStringLiteral("kcat-group"), QStringLiteral("kcat-topic"),
                        QStringLiteral("-c"), QStringLiteral("200"), QStringLiteral("-q"),
                        QStringLiteral("-o"), QStringLiteral("beginning"), QStringLiteral("-X"),
                        QStringLiteral("enable.auto.commit=true"), QStringLiteral("-X"),
                        QStringLiteral("auto.commit.interval.ms=100")});
        QVERIFY2(group.exitCode == 0, qPrintable(group.err));
        QCOMPARE(group.out.count(QLatin1Char('\n')), 200);

        auto consumer = makeConsumer(m_broker.bootstrapStd(), {{"group.id", "kcat-group"}});
        rd_kafka_topic_partition_list_t *query = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(query, "kcat-topic", 0);
        QCOMPARE(rd_kafka_committed(consumer.get(), query, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(query->elems[0].offset, std::int64_t(200));
        rd_kafka_topic_partition_list_destroy(query);
        rd_kafka_consumer_close(consumer.get());
    }

    void kafkaPython()
    {
        if (run(kPython, {QStringLiteral("-c"), QStringLiteral("import kafka")}).exitCode != 0)
            QSKIP("python3-kafka is not installed (./dev installs it)");
        const QString script =
            QStringLiteral(PERISCOPE_TESTS_DIR "/integration/peer_kafka_python.py");
        Run r = run(kPython, {script, m_broker.bootstrap()}, {}, 120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains(QStringLiteral("OK produced=500 consumed=500 committed=500")),
                 qPrintable(r.out));
    }

    void cleanupTestCase() { QVERIFY(m_broker.stop()); }
};

QTEST_GUILESS_MAIN(TestPeers)
#include "tst_peers.moc"
