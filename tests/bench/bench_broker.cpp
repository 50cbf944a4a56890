// ./dev bench broker: periscope-broker against librdkafka's own mock cluster, same run.
//   broker_produce / broker_consume   msgs/s for 1,000,000 messages of 100 bytes
//   broker_startup_empty / _1gb       ms from process start to the ready line
#include "benchutil.h"
#include "kafka.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <algorithm>
#include <filesystem>
#include <librdkafka/rdkafka_mock.h>
#include <vector>

using namespace periscope;

namespace {

using bench::median;

constexpr int kMessages = 1000000;
// The mock cluster keeps at most 5 MB per partition and drops older data beyond that, so
// the 100 MB of the run are spread over enough partitions for it to keep them all.
constexpr int kPartitions = 32;
constexpr std::size_t kValueSize = 100;

struct Broker
{
    QProcess process;
    QString bootstrap;
};

// Starts the broker and returns the milliseconds until its ready line.
double startBroker(Broker &b, const QString &dataDir)
{
    QElapsedTimer timer;
    timer.start();
    b.process.start(QStringLiteral(PERISCOPE_BROKER_PROGRAM),
                    {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--data-dir"), dataDir, QStringLiteral("--log-level"),
                     QStringLiteral("warn")});
    QByteArray out;
    while (!out.contains('\n') && b.process.waitForReadyRead(30000))
        out += b.process.readAllStandardOutput();
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    const int at = out.indexOf("bootstrap=");
    if (at < 0)
        qFatal("broker did not start: %s", b.process.readAllStandardError().constData());
    b.bootstrap = QString::fromLatin1(out.mid(at + 10, out.indexOf(' ', at) - at - 10));
    return ms;
}

void stopBroker(Broker &b)
{
    b.process.terminate();
    b.process.waitForFinished(30000);
}

double spawnTrueMs()
{
    QElapsedTimer timer;
    timer.start();
    QProcess p;
    p.start(QStringLiteral("/bin/true"), {});
    p.waitForFinished();
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

double produce(const std::string &bootstrap, const std::string &topic, int count,
               std::size_t valueSize)
{
    auto producer = test::makeProducer(bootstrap, {{"acks", "all"}, {"linger.ms", "5"}});
    std::string value(valueSize, 'v');
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < count; ++i) {
        while (rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                                 RD_KAFKA_V_PARTITION(i % kPartitions),
                                 RD_KAFKA_V_VALUE(value.data(), value.size()),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                 RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(producer.get(), 1);
    }
    if (test::flushProducer(producer.get(), 120000) != 0 || test::deliveryFailures > 0)
        qFatal("produce to %s failed", bootstrap.c_str());
    return count / (static_cast<double>(timer.nsecsElapsed()) / 1e9);
}

double consume(const std::string &bootstrap, const std::string &topic, int count)
{
    QElapsedTimer timer;
    timer.start();
    const auto got =
        test::readAll(bootstrap, topic, kPartitions, static_cast<std::size_t>(count), 120000);
    if (got.size() != static_cast<std::size_t>(count))
        qFatal("consumed %zu of %d from %s", got.size(), count, bootstrap.c_str());
    return count / (static_cast<double>(timer.nsecsElapsed()) / 1e9);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);

    // Reference: librdkafka's in-process mock cluster.
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *mockOwner = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    rd_kafka_mock_cluster_t *mock = rd_kafka_mock_cluster_new(mockOwner, 1);
    const std::string mockBootstrap = rd_kafka_mock_cluster_bootstraps(mock);
    rd_kafka_mock_topic_create(mock, "bench", kPartitions, 1);
    const double mockProduce = produce(mockBootstrap, "bench", kMessages, kValueSize);
    const double mockConsume = consume(mockBootstrap, "bench", kMessages);
    rd_kafka_mock_cluster_destroy(mock);
    rd_kafka_destroy(mockOwner);

    QTemporaryDir dir;
    Broker broker;
    startBroker(broker, dir.filePath(QStringLiteral("throughput")));
    {
        auto admin = test::makeAdmin(broker.bootstrap.toStdString());
        test::createTopic(admin.get(), "bench", kPartitions);
    }
    const double ourProduce =
        produce(broker.bootstrap.toStdString(), "bench", kMessages, kValueSize);
    const double ourConsume = consume(broker.bootstrap.toStdString(), "bench", kMessages);
    stopBroker(broker);
    bench::report("broker_produce", ourProduce, "msgs/s", "librdkafka-mock", mockProduce);
    bench::report("broker_consume", ourConsume, "msgs/s", "librdkafka-mock", mockConsume);

    // Start-up: an empty data directory, then one holding 1 GB (10 KB messages).
    std::vector<double> trueMs, emptyMs, fullMs, uncleanMs;
    for (int i = 0; i < 5; ++i) {
        trueMs.push_back(spawnTrueMs());
        Broker b;
        emptyMs.push_back(startBroker(b, dir.filePath(QStringLiteral("empty-%1").arg(i))));
        stopBroker(b);
    }
    const QString full = dir.filePath(QStringLiteral("full"));
    {
        Broker b;
        startBroker(b, full);
        {
            auto admin = test::makeAdmin(b.bootstrap.toStdString());
            test::createTopic(admin.get(), "big", kPartitions);
        }
        produce(b.bootstrap.toStdString(), "big", 100000, 10240);
        stopBroker(b);
    }
    std::uintmax_t bytes = 0;
    for (const auto &e : std::filesystem::recursive_directory_iterator(full.toStdString()))
        if (e.is_regular_file())
            bytes += e.file_size();
    std::fprintf(stderr, "start-up data directory holds %.2f GB\n",
                 static_cast<double>(bytes) / 1e9);
    for (int i = 0; i < 5; ++i) {
        Broker b;
        fullMs.push_back(startBroker(b, full));
        stopBroker(b);
    }
    for (int i = 0; i < 3; ++i) {
        Broker b;
        uncleanMs.push_back(startBroker(b, full));
        b.process.kill(); // the next start verifies the log tails
        b.process.waitForFinished();
    }
    {
        Broker b;
        uncleanMs.push_back(startBroker(b, full));
        stopBroker(b);
    }
    bench::report("broker_startup_empty", median(emptyMs), "ms", "spawn-/bin/true", median(trueMs));
    bench::report("broker_startup_1gb", median(fullMs), "ms", "spawn-/bin/true", median(trueMs));
    bench::report("broker_startup_1gb_after_kill", median(uncleanMs), "ms", "spawn-/bin/true",
                  median(trueMs));
    return 0;
}
