// The limits a server needs, seen from outside: a cap on connections, idle connections
// closed, buffers that shrink back and go with their connection, answers a client does not
// read held to a bound, and a broker out of file descriptors that waits instead of spinning.
#include "brokerstats.h"
#include "kafka.h"
#include "rawkafka.h"
#include "testbroker.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/resource.h>

using namespace periscope::test;

namespace {
bool answers(RawClient &client, std::uint32_t id = 9)
{
    return client.send(request(18, 0, id, {})) &&
           correlation(client.readFrame(30000)) == std::int64_t(id);
}

qint64 stat(const QMap<QString, qint64> &stats, const char *key)
{
    return stats.value(QString::fromLatin1(key), -1);
}
} // namespace

class TestBrokerLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Room for a thousand client sockets in this process.
        rlimit files{};
        ::getrlimit(RLIMIT_NOFILE, &files);
        files.rlim_cur = std::min<rlim_t>(files.rlim_max, 8192);
        ::setrlimit(RLIMIT_NOFILE, &files);
    }

    void connectionsOverTheLimitAreRefused()
    {
        TestBroker broker({QStringLiteral("--max-connections"), QStringLiteral("5")});
        QVERIFY(broker.start());
        std::vector<std::unique_ptr<RawClient>> open;
        for (int i = 0; i < 5; ++i) {
            open.push_back(std::make_unique<RawClient>(broker.port()));
            QVERIFY(answers(*open.back()));
        }
        for (int i = 0; i < 20; ++i) {
            RawClient extra(broker.port());
            QVERIFY(extra.connected()); // the kernel accepts; the broker closes at once
            QVERIFY(extra.closedByPeer(30000));
        }
        QCOMPARE(stat(brokerStats(broker), "refused_connections"), qint64(20));
        // One line for the burst, not one per connection.
        QCOMPARE(broker.recentLog().count(QStringLiteral("refusing new connections")), 1);
        open.pop_back();
        QTRY_VERIFY_WITH_TIMEOUT(stat(brokerStats(broker), "connections") < 5, 30000);
        RawClient again(broker.port());
        QVERIFY(answers(again));
        QTRY_VERIFY_WITH_TIMEOUT(
            broker.recentLog().contains(QStringLiteral("accepting connections again")), 30000);
        for (auto &c : open)
            QVERIFY(answers(*c));
        QVERIFY(broker.stop());
    }

    void idleConnectionsAreClosed()
    {
        TestBroker broker({QStringLiteral("--connections-max-idle-ms"), QStringLiteral("1000")});
        QVERIFY(broker.start());
        {
            auto admin = makeAdmin(broker.bootstrapStd());
            QCOMPARE(createTopic(admin.get(), "quiet", 1), std::string());
        }
        RawClient idle(broker.port());
        QVERIFY(answers(idle));
        // A long poll is not idleness: the fetch waits 3 s and is answered on this
        // connection, which stays open while it waits.
        RawClient polling(broker.port());
        QVERIFY(polling.send(fetchRequest(5, "quiet", 0, 3000)));
        QVERIFY(idle.closedByPeer(60000));
        QCOMPARE(correlation(polling.readFrame(60000)), std::int64_t(5));
        QVERIFY(polling.closedByPeer(60000)); // idle after its answer
        QVERIFY(stat(brokerStats(broker), "idle_closed") >= 2);
        QVERIFY(broker.stop());
    }

    void idleConnectionsHoldNoBuffers()
    {
        TestBroker broker;
        QVERIFY(broker.start());
        constexpr int kClients = 1000;
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<RawClient>(broker.port()));
            QVERIFY(clients.back()->connected());
            QVERIFY(clients.back()->send(request(18, 0, static_cast<std::uint32_t>(i), {})));
        }
        for (int i = 0; i < kClients; ++i)
            QCOMPARE(correlation(clients[static_cast<std::size_t>(i)]->readFrame(30000)),
                     std::int64_t(i));
        const auto held = brokerStats(broker);
        QCOMPARE(stat(held, "connections"), qint64(kClients));
        // Each served its request; none keeps a buffer for the next one.
        QVERIFY2(stat(held, "in_buffer_bytes") + stat(held, "out_buffer_bytes") < kClients * 64,
                 qPrintable(QString::number(stat(held, "in_buffer_bytes"))));

        // A 20 MB request grows one buffer; it shrinks back once the request is handled.
        Bytes big = request(18, 0, 77, Bytes(20 * 1024 * 1024, 0));
        QVERIFY(clients.front()->send(big));
        QCOMPARE(correlation(clients.front()->readFrame(30000)), std::int64_t(77));
        const auto after = brokerStats(broker);
        QCOMPARE(stat(after, "connections"), qint64(kClients));
        QVERIFY(stat(after, "received_bytes") >= stat(held, "received_bytes") + qint64(big.size()));
        QVERIFY(stat(after, "in_buffer_bytes") < 1024 * 1024);

        // Closed connections are gone, buffers and all.
        clients.clear();
        QTRY_VERIFY_WITH_TIMEOUT(stat(brokerStats(broker), "connections") == 0, 30000);
        const auto closed = brokerStats(broker);
        QCOMPARE(stat(closed, "in_buffer_bytes") + stat(closed, "out_buffer_bytes"), qint64(0));
        QVERIFY(broker.stop());
    }

    void unreadAnswersAreBounded()
    {
        TestBroker broker({QStringLiteral("--fetch-max-bytes"), QStringLiteral("1048576")});
        QVERIFY(broker.start());
        {
            auto admin = makeAdmin(broker.bootstrapStd());
            QCOMPARE(createTopic(admin.get(), "heavy", 1), std::string());
            auto producer = makeProducer(broker.bootstrapStd());
            const std::string value(100 * 1024, 'h');
            for (int i = 0; i < 30; ++i)
                rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("heavy"),
                                  RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            QCOMPARE(flushProducer(producer.get()), 0);
        }
        // 100 fetches of everything there is, none of the answers read.
        RawClient lazy(broker.port());
        Bytes all;
        for (std::uint32_t i = 0; i < 100; ++i)
            append(all, fetchRequest(i, "heavy", 0, 0, INT32_MAX, INT32_MAX));
        QVERIFY(lazy.send(all));
        QTRY_VERIFY_WITH_TIMEOUT(stat(brokerStats(broker), "paused_reading") == 1, 60000);
        const auto paused = brokerStats(broker);
        // At most the pause threshold (8 MiB) plus one capped answer (1 MiB and a batch).
        QVERIFY2(stat(paused, "out_buffer_bytes") < 12 * 1024 * 1024,
                 qPrintable(QString::number(stat(paused, "out_buffer_bytes"))));
        // Others are still served meanwhile.
        RawClient other(broker.port());
        QVERIFY(answers(other));
        // Every answer arrives, in order, each within fetch.max.bytes plus one batch.
        for (std::uint32_t i = 0; i < 100; ++i) {
            const Bytes frame = lazy.readFrame(30000);
            QCOMPARE(correlation(frame), std::int64_t(i));
            QVERIFY(frame.size() < 1048576 + 200 * 1024);
        }
        QVERIFY(broker.stop());
    }

    void outOfFileDescriptorsWaitsQuietly()
    {
        // The broker under a 64-descriptor limit (soft and hard: it raises the soft one to
        // the hard one itself), with its whole output kept.
        QTemporaryDir dir;
        QProcess proc;
        proc.setChildProcessModifier([] {
            rlimit files{64, 64};
            ::setrlimit(RLIMIT_NOFILE, &files);
        });
        QString out;
        QString err;
        connect(&proc, &QProcess::readyReadStandardOutput, this,
                [&] { out += QString::fromUtf8(proc.readAllStandardOutput()); });
        connect(&proc, &QProcess::readyReadStandardError, this,
                [&] { err += QString::fromUtf8(proc.readAllStandardError()); });
        proc.start(TestBroker::program(),
                   {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                    QStringLiteral("--data-dir"), dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(out.contains(QStringLiteral("ready")), 30000);
        const int port = out.section(QStringLiteral("bootstrap=127.0.0.1:"), 1)
                             .section(QLatin1Char(' '), 0, 0)
                             .toInt();
        QVERIFY(port > 0);
        auto stats = [&] {
            const qsizetype before = err.count(QStringLiteral("stats: "));
            ::kill(static_cast<pid_t>(proc.processId()), SIGUSR1);
            QTRY_VERIFY_WITH_TIMEOUT(err.count(QStringLiteral("stats: ")) > before, 30000);
        };

        // Far more clients than descriptors; each sends a request right away.
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 120; ++i) {
            clients.push_back(std::make_unique<RawClient>(port));
            QVERIFY(clients.back()->connected());
            QVERIFY(clients.back()->send(request(18, 0, static_cast<std::uint32_t>(i), {})));
        }
        QTRY_VERIFY_WITH_TIMEOUT(err.contains(QStringLiteral("out of file descriptors")), 30000);
        for (int round = 0; round < 20; ++round) // twenty trips through the broker's loop
            stats();
        QVERIFY(parseLastStats(err).value(QStringLiteral("accept_paused")) == 1);
        // A broker that spins on accept writes thousands of lines meanwhile.
        QVERIFY2(err.count(QLatin1Char('\n')) < 100,
                 qPrintable(QStringLiteral("%1 lines").arg(err.count(QLatin1Char('\n')))));

        // Clients that got in have their answer by now; the others wait in the backlog.
        std::vector<std::unique_ptr<RawClient>> waiting;
        for (std::size_t i = 0; i < clients.size(); ++i) {
            if (clients[i]->silentFor(0)) {
                waiting.push_back(std::move(clients[i]));
                continue;
            }
            QCOMPARE(correlation(clients[i]->readFrame(30000)), std::int64_t(i));
        }
        QVERIFY(waiting.size() > 20);
        QVERIFY(waiting.size() < clients.size());
        clients.clear(); // the served ones close: the waiting ones get in, in order
        for (auto &c : waiting) {
            QVERIFY(c->readFrame(30000).size() >= 4);
            c.reset();
        }
        RawClient late(port);
        QVERIFY(answers(late));
        proc.terminate();
        QVERIFY(proc.waitForFinished(30000));
        QCOMPARE(proc.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBrokerLimits)
#include "tst_brokerlimits.moc"
