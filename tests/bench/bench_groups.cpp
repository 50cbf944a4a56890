// ./dev bench groups: the groups pane over a periscope-broker holding 2,000 consumer groups
// with committed offsets on 50 partitions each (100,000 group partitions in all).
//   groups_2k_refresh        ms from LagSampler::refresh() until its updated signal (median
//                            of 5, pane shown); ref: kafka-python's admin client listing the
//                            groups and each group's offsets
//   groups_2k_gui_stall_max  the longest the GUI thread went without turning its event loop
//                            during those refreshes; no reference, aim 16 ms (one frame)
//   groups_2k_rss            MB resident after the refreshes; ref: right after QApplication
#include "benchutil.h"
#include "client/clustersession.h"
#include "groups/groupspane.h"
#include "kafka.h"
#include "monitor/lagsampler.h"
#include "testbroker.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRegularExpression>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

using namespace periscope;

namespace {

using bench::median;
using bench::ms;
using bench::rssMb;
using bench::runChild;

constexpr int kTopics = 20;
constexpr int kPartitions = 50;
constexpr int kMessages = 20; // per partition
constexpr int kGroups = 2000;
constexpr int kRefreshes = 5;
constexpr int kReferenceRuns = 3;
// Past this one kafka-python run is taken as the reference instead of the median of three.
constexpr double kOneReferenceRunMs = 20000;
constexpr int kInFlight = 100; // offset commits outstanding during the set-up
constexpr int kStepTimeoutMs = 120000;
constexpr int kSetupTimeoutMs = 600000;
constexpr int kRepaintMs = 100; // event loop time after each refresh for the repaint
const QString kPython = QStringLiteral("/usr/bin/python3"); // where python3-kafka lives

[[noreturn]] void fail(const QString &what)
{
    bench::fail("bench_groups", what);
}

std::string topicName(int t)
{
    return "lag-" + std::to_string(t);
}

// Varied so that most partitions lag (by 20 - committed) and some are caught up.
int committedOffset(int group, int partition)
{
    return (group * 7 + partition) % (kMessages + 1);
}

// Runs in a child process so that the admin and producer handles leave nothing behind in
// the measured process's memory.
int populate(const std::string &bootstrap)
{
    auto admin = test::makeAdmin(bootstrap);
    if (!admin)
        return 1;
    for (int t = 0; t < kTopics; ++t)
        if (const std::string e = test::createTopic(admin.get(), topicName(t), kPartitions);
            !e.empty()) {
            std::fprintf(stderr, "creating %s failed: %s\n", topicName(t).c_str(), e.c_str());
            return 1;
        }

    auto producer = test::makeProducer(bootstrap, {{"acks", "1"}, {"linger.ms", "20"}});
    if (!producer)
        return 1;
    const std::string value = "some lag";
    for (int i = 0; i < kTopics * kPartitions * kMessages; ++i)
        while (rd_kafka_producev(producer.get(),
                                 RD_KAFKA_V_TOPIC(topicName(i / (kPartitions * kMessages)).c_str()),
                                 RD_KAFKA_V_PARTITION(i / kMessages % kPartitions),
                                 RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                 RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(producer.get(), 10);
    if (test::flushProducer(producer.get(), kStepTimeoutMs) != 0 || test::deliveryFailures > 0) {
        std::fprintf(stderr, "producing failed\n");
        return 1;
    }

    // One group per request (librdkafka 2.0.2 takes no more), many requests in flight.
    char err[512];
    rd_kafka_queue_t *queue = rd_kafka_queue_new(admin.get());
    rd_kafka_AdminOptions_t *options =
        rd_kafka_AdminOptions_new(admin.get(), RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS);
    rd_kafka_AdminOptions_set_request_timeout(options, kStepTimeoutMs, err, sizeof err);
    int issued = 0, done = 0, failures = 0;
    while (done < kGroups) {
        for (; issued < kGroups && issued - done < kInFlight; ++issued) {
            rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(kPartitions);
            for (int p = 0; p < kPartitions; ++p)
                rd_kafka_topic_partition_list_add(list, topicName(issued % kTopics).c_str(), p)
                    ->offset = committedOffset(issued, p);
            char group[32];
            std::snprintf(group, sizeof group, "group-%04d", issued);
            rd_kafka_AlterConsumerGroupOffsets_t *request =
                rd_kafka_AlterConsumerGroupOffsets_new(group, list);
            rd_kafka_AlterConsumerGroupOffsets(admin.get(), &request, 1, options, queue);
            rd_kafka_AlterConsumerGroupOffsets_destroy(request);
            rd_kafka_topic_partition_list_destroy(list);
        }
        rd_kafka_event_t *ev = test::waitForEvent(queue, kStepTimeoutMs + 5000);
        if (!ev) {
            std::fprintf(stderr, "an offset commit did not answer\n");
            break;
        }
        std::size_t n = 0;
        const rd_kafka_group_result_t **groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(
            rd_kafka_event_AlterConsumerGroupOffsets_result(ev), &n);
        bool ok = !rd_kafka_event_error(ev) && n == 1 && !rd_kafka_group_result_error(groups[0]);
        const rd_kafka_topic_partition_list_t *parts =
            ok ? rd_kafka_group_result_partitions(groups[0]) : nullptr;
        for (int i = 0; parts && i < parts->cnt; ++i)
            ok = ok && parts->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR;
        failures += ok ? 0 : 1;
        rd_kafka_event_destroy(ev);
        ++done;
    }
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_queue_destroy(queue);
    if (done < kGroups || failures > 0) {
        std::fprintf(stderr, "committing offsets failed for %d groups\n",
                     kGroups - done + failures);
        return 1;
    }
    return 0;
}

QByteArray joined(const std::vector<double> &values)
{
    QStringList parts;
    for (double v : values)
        parts.append(QString::number(v, 'f', 0));
    return parts.join(QLatin1Char(' ')).toUtf8();
}

// One kafka-python run: the ms the script measured around its requests.
double referenceMs(const QString &script, const QString &bootstrap)
{
    QProcess process;
    const int code = runChild(process, kPython, {script, bootstrap}, kSetupTimeoutMs);
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    const auto match = QRegularExpression(QStringLiteral("OK groups=(\\d+) partitions=(\\d+) "
                                                         "ms=([0-9.]+)"))
                           .match(out);
    if (code != 0 || !match.hasMatch())
        fail(QStringLiteral("the kafka-python reference failed: ") + out +
             QString::fromLocal8Bit(process.readAllStandardError()));
    if (match.captured(1).toInt() != kGroups || match.captured(2).toInt() != kGroups * kPartitions)
        fail(QStringLiteral("kafka-python saw something else: ") + out);
    return match.captured(3).toDouble();
}

// The largest gap between two turns of the GUI thread's event loop, sampled by a 1 ms
// timer (a 0 ms one would spin a whole core the refresh's threads need on a small machine).
struct StallMeter
{
    QTimer timer;
    QElapsedTimer sinceLast;
    double maxGap = 0;

    void start()
    {
        maxGap = 0;
        sinceLast.start();
        timer.start(1);
    }
    double stop()
    {
        timer.stop();
        return std::max(maxGap, ms(sinceLast));
    }
};

// Turns the real event loop (QTest::qWaitFor sleeps between turns, which the stall meter
// would count) until the sampler's next updated or failed signal, then a little longer so
// that the repaint the update schedules falls inside the measurement too. Returns the
// timer's reading at the updated signal.
double waitForUpdate(monitor::LagSampler &sampler, const QElapsedTimer &timer)
{
    QEventLoop loop;
    QString error;
    double updatedAt = -1;
    QObject::connect(&sampler, &monitor::LagSampler::updated, &loop, [&] {
        updatedAt = ms(timer);
        loop.quit();
    });
    QObject::connect(&sampler, &monitor::LagSampler::failed, &loop,
                     [&](const client::ClientError &e) {
                         error = e.message;
                         loop.quit();
                     });
    QTimer::singleShot(kStepTimeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    if (updatedAt < 0)
        fail(QStringLiteral("the lag refresh failed: ") +
             (error.isEmpty() ? QStringLiteral("no answer in time") : error));
    QTimer::singleShot(kRepaintMs, &loop, &QEventLoop::quit);
    loop.exec();
    return updatedAt;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 3 && std::string(argv[1]) == "--populate")
        return populate(argv[2]);

    bench::preferOffscreen();
    QApplication app(argc, argv);
    const double emptyRss = rssMb();
    spdlog::set_level(spdlog::level::warn);

    test::TestBroker broker({QStringLiteral("--log-level"), QStringLiteral("warn")});
    if (!broker.start())
        fail(QStringLiteral("the broker did not start: ") + broker.recentLog());
    {
        QElapsedTimer timer;
        timer.start();
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        if (runChild(child, QCoreApplication::applicationFilePath(),
                     {QStringLiteral("--populate"), broker.bootstrap()}, kSetupTimeoutMs) != 0)
            fail(QStringLiteral("setting up the groups failed"));
        std::fprintf(stderr,
                     "groups_2k: set-up (%d topics x %d partitions, %d messages each, %d groups' "
                     "offsets) took %.0f ms\n",
                     kTopics, kPartitions, kMessages, kGroups, ms(timer));
    }

    client::ConnectionSettings settings;
    settings.name = QStringLiteral("bench");
    settings.properties.insert(QStringLiteral("bootstrap.servers"), broker.bootstrap());
    client::ClusterSession session(settings, false);
    session.open();
    monitor::LagSampler sampler(session.client());
    sampler.setInterval(0);

    // Connected around the pane's own handler, so the difference is the time the pane spends
    // on the GUI thread taking a snapshot in (the repaint comes later, from the event loop).
    QElapsedTimer handler;
    std::vector<double> handlerMs;
    QObject::connect(&sampler, &monitor::LagSampler::updated, [&] { handler.start(); });
    StallMeter stalls;
    stalls.timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&stalls.timer, &QTimer::timeout, [&stalls] {
        stalls.maxGap = std::max(stalls.maxGap, ms(stalls.sinceLast));
        stalls.sinceLast.start();
    });
    // The pane starts the first refresh itself: that is the load that fills the model.
    QElapsedTimer timer;
    timer.start();
    widgets::GroupsPane pane(&session, &sampler);
    QObject::connect(&sampler, &monitor::LagSampler::updated,
                     [&] { handlerMs.push_back(ms(handler)); });
    pane.resize(1280, 800);
    pane.show();
    if (!QTest::qWaitForWindowExposed(&pane))
        fail(QStringLiteral("the groups pane was not exposed"));
    stalls.start();
    // -1 when the load was done before the window was (waiting would then wait forever).
    const double firstMs = handlerMs.empty() ? waitForUpdate(sampler, timer) : -1;
    const double firstStall = stalls.stop();
    std::fprintf(stderr,
                 "groups_2k: first load %.0f ms (longest GUI stall %.1f ms, pane's "
                 "handler %.1f ms)\n",
                 firstMs, firstStall, handlerMs.back());

    std::vector<double> refreshMs;
    double maxStall = 0;
    for (int i = 0; i < kRefreshes; ++i) {
        stalls.start();
        timer.start();
        sampler.refresh();
        refreshMs.push_back(waitForUpdate(sampler, timer));
        maxStall = std::max(maxStall, stalls.stop());
    }
    std::vector<double> laterHandlers(handlerMs.begin() + 1, handlerMs.end());
    QElapsedTimer paint;
    paint.start();
    pane.repaint(); // what the update's repaint costs, for comparing with the stall
    std::fprintf(stderr,
                 "groups_2k: refreshes %s ms; pane's handler %.1f ms median, %.1f ms max; "
                 "repainting the pane %.1f ms\n",
                 joined(refreshMs).constData(), median(laterHandlers),
                 *std::max_element(laterHandlers.begin(), laterHandlers.end()), ms(paint));
    const double refreshedRss = rssMb();

    const monitor::SnapshotPtr snapshot = sampler.snapshot();
    qsizetype partitions = 0, lagging = 0;
    for (const monitor::GroupLag &g : snapshot->groups) {
        partitions += g.partitions.size();
        for (const monitor::PartitionLag &p : g.partitions)
            lagging += p.lag > 0 ? 1 : 0;
    }
    std::fprintf(stderr,
                 "groups_2k: snapshot holds %lld groups, %lld partitions (%lld lagging); "
                 "the view shows %d rows\n",
                 static_cast<long long>(snapshot->groups.size()),
                 static_cast<long long>(partitions), static_cast<long long>(lagging),
                 pane.view()->model()->rowCount());
    if (snapshot->groups.size() != kGroups || partitions != kGroups * kPartitions)
        fail(QStringLiteral("the snapshot does not hold every group and partition"));

    const QString script = QStringLiteral(PERISCOPE_TESTS_DIR "/bench/ref_group_offsets.py");
    std::vector<double> referenceRuns{referenceMs(script, broker.bootstrap())};
    while (referenceRuns.size() < kReferenceRuns && referenceRuns.front() < kOneReferenceRunMs)
        referenceRuns.push_back(referenceMs(script, broker.bootstrap()));
    std::fprintf(stderr, "groups_2k: kafka-python runs %s ms\n", joined(referenceRuns).constData());

    bench::report("groups_2k_refresh", median(refreshMs), "ms", "kafka-python-list-offsets",
                  median(referenceRuns));
    bench::report("groups_2k_gui_stall_max", maxStall, "ms", "one-frame", 16);
    bench::report("groups_2k_rss", refreshedRss, "MB", "empty-process", emptyRss);

    session.close();
    if (!broker.stop()) // seen now and then under load; the log tells why
        std::fprintf(stderr, "bench_groups: the broker did not stop cleanly: %s\n",
                     qPrintable(broker.recentLog().right(2000)));
    return 0;
}
