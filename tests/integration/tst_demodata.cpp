// --demo-data against a real broker: every topic holds its sample count, both groups
// exist with lag, a second run adds nothing, stopping never waits and a dead address
// fails with a message that says why.
#include "client/demodata.h"
#include "closedport.h"
#include "kafka.h"
#include "testbroker.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <algorithm>
#include <memory>

using namespace periscope::test;
using periscope::client::DemoData;

namespace {
struct Expected
{
    std::string topic;
    int partitions;
    std::int64_t count;
};
const std::vector<Expected> kTopics = {
    {"orders", 6, 5000},     {"audit-log", 3, 2000}, {"sensor-readings", 4, 3000},
    {"payments.dlq", 1, 20}, {"empty-topic", 1, 0},  {"compacted-users", 3, 300},
};

std::int64_t countOf(rd_kafka_t *rk, const Expected &t)
{
    std::int64_t total = 0;
    for (int p = 0; p < t.partitions; ++p) {
        int64_t low = -1, high = -1;
        if (rd_kafka_query_watermark_offsets(rk, t.topic.c_str(), p, &low, &high, 10000))
            return -1;
        total += high - low;
    }
    return total;
}

std::map<std::string, std::int64_t> counts(rd_kafka_t *rk)
{
    std::map<std::string, std::int64_t> out;
    for (const Expected &t : kTopics)
        out[t.topic] = countOf(rk, t);
    return out;
}

std::int64_t endOf(rd_kafka_t *rk, const std::string &topic, int partition)
{
    int64_t low = -1, high = -1;
    rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, &low, &high, 10000);
    return high;
}

// A group's committed offsets on a topic, one per partition (-1001: none).
std::vector<std::int64_t> committed(const std::string &bootstrap, const std::string &group,
                                    const std::string &topic, int partitions)
{
    KafkaHandle c = makeConsumer(bootstrap, {{"group.id", group}, {"enable.auto.commit", "false"}});
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p)
        rd_kafka_topic_partition_list_add(list, topic.c_str(), p);
    std::vector<std::int64_t> out;
    if (rd_kafka_committed(c.get(), list, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
        for (int i = 0; i < list->cnt; ++i)
            out.push_back(list->elems[i].offset);
    rd_kafka_topic_partition_list_destroy(list);
    return out;
}

std::string groupState(rd_kafka_t *rk, const char *group)
{
    const struct rd_kafka_group_list *list = nullptr;
    if (rd_kafka_list_groups(rk, group, &list, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return "error";
    std::string state = list->group_cnt > 0 ? list->groups[0].state : "missing";
    rd_kafka_group_list_destroy(list);
    return state;
}

// A topic config's value as the broker describes it.
std::string configOf(rd_kafka_t *admin, const std::string &topic, const std::string &name)
{
    rd_kafka_ConfigResource_t *resource =
        rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
    rd_kafka_queue_t *queue = rd_kafka_queue_new(admin);
    rd_kafka_DescribeConfigs(admin, &resource, 1, nullptr, queue);
    rd_kafka_ConfigResource_destroy(resource);
    std::string value = "(missing)";
    if (rd_kafka_event_t *ev = waitForEvent(queue)) {
        size_t n = 0, m = 0;
        const rd_kafka_ConfigResource_t **described = rd_kafka_DescribeConfigs_result_resources(
            rd_kafka_event_DescribeConfigs_result(ev), &n);
        const rd_kafka_ConfigEntry_t **entries =
            n == 1 ? rd_kafka_ConfigResource_configs(described[0], &m) : nullptr;
        for (size_t i = 0; i < m; ++i)
            if (rd_kafka_ConfigEntry_name(entries[i]) == name &&
                rd_kafka_ConfigEntry_value(entries[i]))
                value = rd_kafka_ConfigEntry_value(entries[i]);
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_queue_destroy(queue);
    return value;
}

bool waitForOutcome(QSignalSpy &ready, QSignalSpy &failed, int timeoutMs = 60000)
{
    QElapsedTimer timer;
    timer.start();
    while (ready.isEmpty() && failed.isEmpty() && timer.elapsed() < timeoutMs)
        QTest::qWait(50);
    if (!failed.isEmpty())
        qWarning("failed: %s", qPrintable(failed.first().first().toString()));
    return !ready.isEmpty();
}
} // namespace

class TestDemoData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_broker.start()); }
    void fillsEveryTopic();
    void secondRunAddsNothing();
    void stopNeverWaits();
    void unreachableAddressFails();

private:
    TestBroker m_broker;
};

void TestDemoData::fillsEveryTopic()
{
    DemoData demo(m_broker.bootstrap());
    QSignalSpy ready(&demo, &DemoData::ready);
    QSignalSpy failed(&demo, &DemoData::failed);
    demo.start();
    QVERIFY(demo.isRunning());
    QVERIFY(waitForOutcome(ready, failed));
    qInfo("%s", qPrintable(ready.first().first().toString()));

    KafkaHandle admin = makeAdmin(m_broker.bootstrapStd());
    const auto held = counts(admin.get());
    for (const Expected &t : kTopics) {
        if (t.topic == "orders") // the appender has started
            QVERIFY2(held.at(t.topic) >= t.count && held.at(t.topic) < t.count + 100,
                     std::to_string(held.at(t.topic)).c_str());
        else
            QCOMPARE(held.at(t.topic), t.count);
    }

    QCOMPARE(configOf(admin.get(), "orders", "retention.ms"), std::string("604800000"));
    QCOMPARE(configOf(admin.get(), "audit-log", "retention.bytes"), std::string("104857600"));
    QCOMPARE(configOf(admin.get(), "compacted-users", "cleanup.policy"), std::string("compact"));

    // Null and empty values, and an error header on every dead letter.
    const auto dlq = readAll(m_broker.bootstrapStd(), "payments.dlq", 1, 20);
    QCOMPARE(dlq.size(), std::size_t(20));
    const auto nulls = std::count_if(dlq.begin(), dlq.end(), [](auto &m) { return m.valueNull; });
    const auto empties = std::count_if(dlq.begin(), dlq.end(),
                                       [](auto &m) { return !m.valueNull && m.value.empty(); });
    QVERIFY(nulls > 0 && empties > 0);
    for (const Message &m : dlq)
        QVERIFY(std::any_of(m.headers.begin(), m.headers.end(),
                            [](auto &h) { return h.first == "error" && !h.second.empty(); }));
    // Binary sensor structs; orders carry their customer key, headers and a past timestamp.
    for (const Message &m : readAll(m_broker.bootstrapStd(), "sensor-readings", 4, 50))
        QVERIFY(m.value.size() == 12 && m.key.rfind("sensor-", 0) == 0);
    const auto orders = readAll(m_broker.bootstrapStd(), "orders", 6, 100);
    QVERIFY(!orders.empty());
    const auto now = QDateTime::currentMSecsSinceEpoch();
    for (const Message &m : orders) {
        QVERIFY(m.value.rfind("{\"id\":", 0) == 0 && m.key.rfind("c-", 0) == 0);
        QVERIFY(m.timestamp > now - 25 * 3600 * 1000 && m.timestamp <= now);
        QCOMPARE(m.headers.size(), std::size_t(2));
    }

    QCOMPARE(groupState(admin.get(), "order-processor"), std::string("Stable"));
    QCOMPARE(groupState(admin.get(), "audit-archiver"), std::string("Empty"));
    const auto archived = committed(m_broker.bootstrapStd(), "audit-archiver", "audit-log", 3);
    QCOMPARE(archived.size(), std::size_t(3));
    for (int p = 0; p < 3; ++p)
        QCOMPARE(archived[p], endOf(admin.get(), "audit-log", p) / 2);

    // The processor commits as it goes but stays far behind; new orders keep coming.
    auto progress = [&] {
        std::int64_t sum = 0;
        for (std::int64_t o : committed(m_broker.bootstrapStd(), "order-processor", "orders", 6))
            sum += std::max<std::int64_t>(o, 0);
        return sum;
    };
    QTRY_VERIFY_WITH_TIMEOUT(progress() > 0, 15000);
    QVERIFY(progress() < 2500);
    const std::int64_t before = countOf(admin.get(), kTopics.front());
    QTRY_VERIFY_WITH_TIMEOUT(countOf(admin.get(), kTopics.front()) > before + 3, 5000);

    demo.stop();
    QVERIFY(!demo.isRunning());
}

void TestDemoData::secondRunAddsNothing()
{
    KafkaHandle admin = makeAdmin(m_broker.bootstrapStd());
    // Let the first run's appender settle before taking the counts.
    auto before = counts(admin.get());
    auto settled = [&] { // no change over more than two append intervals
        QTest::qWait(500);
        const auto now = counts(admin.get());
        return std::exchange(before, now) == now;
    };
    QTRY_VERIFY_WITH_TIMEOUT(settled(), 10000);

    DemoData demo(m_broker.bootstrap());
    for (int run = 0; run < 2; ++run) { // a fresh object, then start() again after stop()
        QSignalSpy ready(&demo, &DemoData::ready);
        QSignalSpy failed(&demo, &DemoData::failed);
        demo.start();
        QVERIFY(waitForOutcome(ready, failed));
        const QString summary = ready.first().first().toString();
        QVERIFY2(summary.contains(QRegularExpression(QStringLiteral("\\b0 topics created, 0 "
                                                                    "messages written"))),
                 qPrintable(summary));
        const auto after = counts(admin.get());
        for (const Expected &t : kTopics) {
            if (t.topic == "orders")
                QVERIFY(after.at(t.topic) < before.at(t.topic) + 200);
            else
                QCOMPARE(after.at(t.topic), before.at(t.topic));
        }
        demo.stop();
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 10000);
    }
}

void TestDemoData::stopNeverWaits()
{
    // Stopped and destroyed just after start(), and while its consumer runs, each time with
    // the broker frozen: a stop or destructor that waited for librdkafka would hang here
    // until the test's own time-out (how fast they are is measured by ./dev bench shutdown).
    for (const bool waitForReady : {false, true}) {
        auto demo = std::make_unique<DemoData>(m_broker.bootstrap());
        QSignalSpy ready(demo.get(), &DemoData::ready);
        QSignalSpy failed(demo.get(), &DemoData::failed);
        demo->start();
        if (waitForReady)
            QVERIFY(waitForOutcome(ready, failed));
        m_broker.freeze();
        demo->stop();
        QVERIFY(!demo->isRunning());
        demo.reset();
        m_broker.thaw();
        // Nothing of it reaches anyone afterwards.
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), waitForReady ? 1 : 0);
        QVERIFY(failed.isEmpty());
    }
}

void TestDemoData::unreachableAddressFails()
{
    const periscope::test::ClosedPort refusing;
    QVERIFY(refusing.port() > 0);
    const QString address = refusing.bootstrap();

    DemoData demo(address);
    QSignalSpy ready(&demo, &DemoData::ready);
    QSignalSpy failed(&demo, &DemoData::failed);
    QElapsedTimer timer;
    timer.start();
    demo.start();
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 30000);
    const QString message = failed.first().first().toString();
    qInfo("after %lld ms: %s", timer.elapsed(), qPrintable(message));
    QVERIFY(ready.isEmpty());
    QVERIFY2(message.contains(address) && message.contains(QLatin1String("connection refused")),
             qPrintable(message));
    QVERIFY(!demo.isRunning());
}

QTEST_GUILESS_MAIN(TestDemoData)
#include "tst_demodata.moc"
