// The lag sampler against a real broker and real librdkafka members: group states and
// members as the consumer sees them, exact lag arithmetic, statuses over several refreshes,
// deleted groups, and one sample of many groups at once.
#include "await.h"
#include "client/clusterclient.h"
#include "kafka.h"
#include "monitor/lagsampler.h"
#include "testbroker.h"
#include "testclient.h"

#include <QSignalSpy>
#include <QTest>
#include <algorithm>

using namespace periscope;
using namespace periscope::client;
using namespace periscope::monitor;
using periscope::test::TestBroker;

namespace {

using test::await;
using Assignment = QList<QPair<QString, int>>;

constexpr int kPartitions = 3;
const QString kTopic = QStringLiteral("orders");
// Messages produced per partition: different so a lag from the wrong partition shows.
const QMap<int, qint64> kEnds{{0, 10}, {1, 20}, {2, 30}};

Assignment assignmentOf(rd_kafka_t *consumer)
{
    Assignment out;
    rd_kafka_topic_partition_list_t *list = nullptr;
    if (rd_kafka_assignment(consumer, &list) != RD_KAFKA_RESP_ERR_NO_ERROR || !list)
        return out;
    for (int i = 0; i < list->cnt; ++i)
        out.append({QString::fromUtf8(list->elems[i].topic), list->elems[i].partition});
    rd_kafka_topic_partition_list_destroy(list);
    std::sort(out.begin(), out.end());
    return out;
}

const PartitionLag *partitionOf(const GroupLag &g, int partition)
{
    for (const PartitionLag &p : g.partitions)
        if (p.topic == kTopic && p.partition == partition)
            return &p;
    return nullptr;
}

} // namespace

class TestLagSampler : public QObject
{
    Q_OBJECT

    TestBroker m_broker{
        {QStringLiteral("--group-initial-rebalance-delay-ms"), QStringLiteral("0")}};
    std::unique_ptr<ClusterClient> m_client;
    std::unique_ptr<LagSampler> m_sampler;
    periscope::test::KafkaHandle m_member;
    Assignment m_assigned;

    // A subscribed member of `group` that has polled until it owns every partition.
    periscope::test::KafkaHandle join(const QString &group, const std::string &clientId)
    {
        return periscope::test::joinGroup(m_broker.bootstrapStd(), group.toStdString(),
                                          kTopic.toStdString(), kPartitions,
                                          {{"client.id", clientId}});
    }

    bool commit(rd_kafka_t *consumer, const QMap<int, qint64> &offsets)
    {
        return periscope::test::commitOffsets(consumer, kTopic.toStdString(), offsets.toStdMap());
    }

    // One refresh, waited for; null when none arrived (the failure is printed).
    SnapshotPtr refreshed()
    {
        QSignalSpy updated(m_sampler.get(), &LagSampler::updated);
        QSignalSpy failed(m_sampler.get(), &LagSampler::failed);
        m_sampler->refresh();
        for (int i = 0; i < 300 && updated.isEmpty() && failed.isEmpty(); ++i)
            updated.wait(100);
        if (!failed.isEmpty())
            qWarning("refresh failed: %s",
                     qPrintable(failed.first().first().value<ClientError>().message));
        return updated.isEmpty() ? nullptr : m_sampler->snapshot();
    }

    void alter(const QString &group, const QMap<int, qint64> &offsets)
    {
        QList<GroupOffset> wanted;
        for (auto it = offsets.cbegin(); it != offsets.cend(); ++it)
            wanted.append({kTopic, it.key(), it.value(), {}, {}});
        const auto altered = await(m_client->alterGroupOffsets(group, wanted));
        QVERIFY2(altered.ok(), qPrintable(altered.error.message));
        for (const GroupOffset &o : altered.value)
            QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_client = periscope::test::connectedClient(m_broker.bootstrap());
        QVERIFY(m_client);
        m_sampler = std::make_unique<LagSampler>(m_client.get());
        m_sampler->setInterval(0); // driven by refresh() only

        const auto created = await(m_client->createTopics({{kTopic, kPartitions, 1, {}}}));
        QVERIFY2(created.ok(), qPrintable(created.error.message));
        QVERIFY(!created.value.first().error.isError());
        auto producer = periscope::test::makeProducer(m_broker.bootstrapStd());
        QVERIFY(producer);
        const QByteArray topic = kTopic.toUtf8();
        for (auto it = kEnds.cbegin(); it != kEnds.cend(); ++it)
            for (qint64 i = 0; i < it.value(); ++i) {
                const std::string value = std::to_string(i);
                rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.constData()),
                                  RD_KAFKA_V_PARTITION(it.key()),
                                  RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            }
        QCOMPARE(periscope::test::flushProducer(producer.get()), 0);
    }

    void liveGroupIsStableWithItsMember()
    {
        m_member = join(QStringLiteral("live"), "lag-reader");
        QVERIFY(m_member);
        m_assigned = assignmentOf(m_member.get());
        QCOMPARE(m_assigned.size(), kPartitions);
        // Consume a little, then commit known offsets; partition 2 is left uncommitted.
        for (int i = 0; i < 50; ++i)
            if (rd_kafka_message_t *m = rd_kafka_consumer_poll(m_member.get(), 20))
                rd_kafka_message_destroy(m);
        QVERIFY(commit(m_member.get(), {{0, 4}, {1, 15}}));

        const SnapshotPtr snapshot = refreshed();
        QVERIFY(snapshot);
        const GroupLag *g = snapshot->group(QStringLiteral("live"));
        QVERIFY(g);
        QCOMPARE(g->state, QStringLiteral("Stable"));
        QVERIFY2(g->error.isEmpty(), qPrintable(g->error));
        QCOMPARE(g->members.size(), 1);
        const GroupMember &m = g->members.first();
        QCOMPARE(m.clientId, QStringLiteral("lag-reader"));
        QVERIFY(!m.host.isEmpty());
        Assignment described = m.assignment;
        std::sort(described.begin(), described.end());
        QCOMPARE(described, m_assigned);
        QCOMPARE(g->topics, QStringList{kTopic});
    }

    void lagIsEndMinusCommitted()
    {
        const GroupLag *g = m_sampler->snapshot()->group(QStringLiteral("live"));
        QVERIFY(g);
        QCOMPARE(g->partitions.size(), kPartitions); // two committed, one only assigned
        const QMap<int, qint64> committed{{0, 4}, {1, 15}};
        qint64 sum = 0;
        for (auto it = committed.cbegin(); it != committed.cend(); ++it) {
            const PartitionLag *p = partitionOf(*g, it.key());
            QVERIFY(p);
            QCOMPARE(p->committed, it.value());
            QCOMPARE(p->start, qint64(0));
            QCOMPARE(p->end, kEnds[it.key()]);
            QCOMPARE(p->lag, kEnds[it.key()] - it.value());
            QVERIFY(!p->ownerId.isEmpty());
            sum += p->lag;
        }
        QCOMPARE(g->totalLag, sum);
        const PartitionLag *never = partitionOf(*g, 2);
        QVERIFY(never);
        QCOMPARE(never->committed, qint64(-1));
        QCOMPARE(never->lag, qint64(-1));
        QCOMPARE(never->end, kEnds[2]);
        QCOMPARE(never->ownerClient, QStringLiteral("lag-reader"));
    }

    void closedGroupIsEmpty()
    {
        QCOMPARE(rd_kafka_consumer_close(m_member.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
        m_member.reset();
        const SnapshotPtr snapshot = refreshed();
        QVERIFY(snapshot);
        const GroupLag *g = snapshot->group(QStringLiteral("live"));
        QVERIFY(g);
        QCOMPARE(g->state, QStringLiteral("Empty"));
        QVERIFY(g->members.isEmpty());
        // Without an owner, only the committed partitions remain; their lag is unchanged.
        QCOMPARE(g->partitions.size(), 2);
        QCOMPARE(g->totalLag, (kEnds[0] - 4) + (kEnds[1] - 15));
        for (const PartitionLag &p : g->partitions)
            QVERIFY(p.ownerId.isEmpty());
    }

    void statusesOverSeveralRefreshes()
    {
        // Small windows so a handful of refreshes are enough; this also forgets the history.
        m_sampler->setRules({4, 2});
        alter(QStringLiteral("live"), {{0, kEnds[0]}, {1, 15}}); // partition 0 caught up
        for (int i = 0; i < 3; ++i) {
            const SnapshotPtr snapshot = refreshed();
            QVERIFY(snapshot);
            QCOMPARE(snapshot->refreshes, i + 1);
            const GroupLag *g = snapshot->group(QStringLiteral("live"));
            QVERIFY(g);
            QCOMPARE(partitionOf(*g, 0)->status, LagStatus::Ok);
            QCOMPARE(partitionOf(*g, 0)->lag, qint64(0));
            // Lagging but ownerless for less than a full window: nothing to say yet.
            QCOMPARE(partitionOf(*g, 1)->status, LagStatus::Ok);
            QCOMPARE(g->status, LagStatus::Ok);
        }

        alter(QStringLiteral("live"), {{1, 5}}); // backwards, while the group is Empty
        const SnapshotPtr snapshot = refreshed();
        QVERIFY(snapshot);
        const GroupLag *g = snapshot->group(QStringLiteral("live"));
        QVERIFY(g);
        QCOMPARE(partitionOf(*g, 0)->status, LagStatus::Ok);
        QCOMPARE(partitionOf(*g, 1)->status, LagStatus::Rewind);
        QCOMPARE(partitionOf(*g, 1)->lag, kEnds[1] - 5);
        QCOMPARE(g->totalLag, kEnds[1] - 5);
        LagStatus worst = LagStatus::Unknown;
        for (const PartitionLag &p : g->partitions)
            worst = worse(worst, p.status);
        QCOMPARE(g->status, worst);
        QCOMPARE(g->status, LagStatus::Rewind);
    }

    void deletedGroupDisappears()
    {
        auto member = join(QStringLiteral("held"), "holder");
        QVERIFY(member);
        QCOMPARE(assignmentOf(member.get()).size(), kPartitions);
        // A commit keeps the group (and its offsets) after its member leaves.
        QVERIFY(commit(member.get(), {{0, 1}}));

        const auto refused = await(m_client->deleteGroup(QStringLiteral("held")));
        QVERIFY(!refused.ok());
        QVERIFY(!refused.error.message.isEmpty());
        qInfo("delete with a member: %s", qPrintable(refused.error.message));
        SnapshotPtr snapshot = refreshed();
        QVERIFY(snapshot);
        QVERIFY(snapshot->group(QStringLiteral("held")));

        QCOMPARE(rd_kafka_consumer_close(member.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
        member.reset();
        const auto deleted = await(m_client->deleteGroup(QStringLiteral("held")));
        QVERIFY2(deleted.ok(), qPrintable(deleted.error.message));
        snapshot = refreshed();
        QVERIFY(snapshot);
        QVERIFY(!snapshot->group(QStringLiteral("held")));
        QVERIFY(snapshot->group(QStringLiteral("live")));
    }

    void manyGroupsInOneSample()
    {
        // Far more groups than the sampler keeps in flight at once.
        constexpr int kGroups = 300;
        auto idOf = [](int i) { return QStringLiteral("bulk-%1").arg(i, 3, 10, QLatin1Char('0')); };
        for (int first = 0; first < kGroups; first += 50) {
            QList<Pending<Result<QList<GroupOffset>>>> pending;
            for (int i = first; i < first + 50; ++i)
                pending.append(m_client->alterGroupOffsets(
                    idOf(i), {{kTopic, i % kPartitions, i % 10, {}, {}}}));
            for (const auto &p : pending) {
                const auto altered = await(p);
                QVERIFY2(altered.ok(), qPrintable(altered.error.message));
                QCOMPARE(altered.value.size(), 1);
                QVERIFY2(altered.value.first().error.isEmpty(),
                         qPrintable(altered.value.first().error));
            }
        }

        const auto sample = await(m_client->sampleGroups(), 60000);
        QVERIFY2(sample.ok(), qPrintable(sample.error.message));
        QHash<QString, const GroupSample *> byId;
        for (const GroupSample &g : sample.value.groups)
            byId.insert(g.listing.id, &g);
        for (int i = 0; i < kGroups; ++i) {
            const GroupSample *g = byId.value(idOf(i));
            QVERIFY2(g, qPrintable(idOf(i)));
            QVERIFY2(g->offsetsError.isEmpty(),
                     qPrintable(idOf(i) + QStringLiteral(": ") + g->offsetsError));
            QCOMPARE(g->committed.size(), 1);
            const GroupOffset &o = g->committed.first();
            QCOMPARE(o.topic, kTopic);
            QCOMPARE(o.partition, i % kPartitions);
            QCOMPARE(o.offset, qint64(i % 10));
        }
        for (int p = 0; p < kPartitions; ++p) {
            const auto end = std::find_if(
                sample.value.ends.cbegin(), sample.value.ends.cend(),
                [p](const PartitionOffsets &e) { return e.topic == kTopic && e.partition == p; });
            QVERIFY(end != sample.value.ends.cend());
            QCOMPARE(end->end, kEnds[p]);
        }
    }

    // Offsets of a topic that was deleted since must not break the refresh of every group:
    // the group still shows, with that partition's lag unknown.
    void deletedTopicKeepsTheRefreshGoing()
    {
        const QString doomed = QStringLiteral("doomed");
        const auto created = await(m_client->createTopics({{doomed, 2, 1, {}}}));
        QVERIFY2(created.ok(), qPrintable(created.error.message));
        const auto altered = await(m_client->alterGroupOffsets(
            QStringLiteral("orphaned"), {{doomed, 0, 0, {}, {}}, {doomed, 1, 0, {}, {}}}));
        QVERIFY2(altered.ok(), qPrintable(altered.error.message));
        alter(QStringLiteral("orphaned"), {{0, 3}});
        const auto deleted = await(m_client->deleteTopics({doomed}));
        QVERIFY2(deleted.ok(), qPrintable(deleted.error.message));

        SnapshotPtr s = refreshed();
        QVERIFY(s);
        const GroupLag *g = s->group(QStringLiteral("orphaned"));
        QVERIFY(g);
        for (const PartitionLag &p : g->partitions) {
            if (p.topic == doomed)
                QCOMPARE(p.lag, qint64(-1));
            else
                QCOMPARE(p.lag, kEnds[p.partition] - 3);
        }
        QCOMPARE(g->totalLag, kEnds[0] - 3);
    }

    // A broker that goes away fails the refresh with a message and keeps the last
    // snapshot: the panes go on showing what was last read, with its time.
    void brokerGoneFailsTheRefreshPlainly()
    {
        TestBroker doomed;
        QVERIFY(doomed.start());
        auto client = periscope::test::connectedClient(doomed.bootstrap());
        QVERIFY(client);
        LagSampler sampler(client.get());
        sampler.setInterval(0);
        QSignalSpy updated(&sampler, &LagSampler::updated);
        sampler.refresh();
        QVERIFY(updated.wait(20000));
        const SnapshotPtr before = sampler.snapshot();
        QVERIFY(before);

        doomed.kill();
        QSignalSpy failed(&sampler, &LagSampler::failed);
        sampler.refresh();
        QVERIFY(failed.wait(60000));
        const ClientError error = failed.first().first().value<ClientError>();
        QVERIFY(error.isError());
        QVERIFY2(!error.message.isEmpty(), "the failure says nothing");
        QCOMPARE(sampler.snapshot(), before);
        QVERIFY(!sampler.refreshing());
    }

    void cleanupTestCase()
    {
        if (m_member)
            rd_kafka_consumer_close(m_member.get());
        m_member.reset();
        m_sampler.reset();
        m_client.reset();
    }
};

QTEST_GUILESS_MAIN(TestLagSampler)
#include "tst_lagsampler.moc"
