// ./dev bench topics_10k: the topics pane over a periscope-broker holding 10,000 topics of
// 10 partitions each, the way a user meets a big cluster.
//   topics_10k_load              ms from ClusterSession::open() until the pane's model holds
//                                every topic and its message count; ref: kcat -L
//   topics_10k_filter_keystroke  ms per keystroke in the filter until the event loop is idle
//                                and the view repainted (median; _max the worst);
//                                ref: the same substring test over the names in a plain loop
//   topics_10k_rss               MB resident after the load; ref: the same process right
//                                after QApplication was created
#include "benchutil.h"
#include "client/clustersession.h"
#include "kafka.h"
#include "testbroker.h"
#include "topics/topicfilterproxy.h"
#include "topics/topicsmodel.h"
#include "topics/topicspane.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <vector>

using namespace periscope;

namespace {

using bench::median;
using bench::ms;
using bench::rssMb;
using bench::runChild;

constexpr int kTopics = 10000;
constexpr int kPartitions = 10;
constexpr int kBatch = 1000;          // topics per CreateTopics request
constexpr int kProducedTopics = 1000; // every tenth topic gets one message
constexpr int kReferenceRuns = 5;
// How long the bench waits for the load; the console's own request time-out (15 s) applies
// inside it, so a load that is too slow fails there first.
constexpr int kLoadTimeoutMs = 600000;
constexpr int kPopulateTimeoutMs = 600000;
constexpr int kStepTimeoutMs = 60000;
const char *const kDomains[] = {"orders",   "payments", "customers", "inventory", "shipments",
                                "invoices", "clicks",   "sessions",  "alerts",    "audit"};

[[noreturn]] void fail(const char *what)
{
    bench::fail("bench_topics_10k", QString::fromUtf8(what));
}

std::string topicName(int i)
{
    return std::string(kDomains[i % 10]) + '-' + std::to_string(i / 10);
}

// Runs in a child process so that the admin and producer handles leave nothing behind in
// the measured process's memory.
int populate(const std::string &bootstrap)
{
    auto admin = test::makeAdmin(bootstrap);
    if (!admin)
        return 1;
    char err[512];
    rd_kafka_queue_t *queue = rd_kafka_queue_new(admin.get());
    for (int first = 0; first < kTopics; first += kBatch) {
        std::vector<rd_kafka_NewTopic_t *> topics;
        for (int i = first; i < std::min(first + kBatch, kTopics); ++i)
            topics.push_back(
                rd_kafka_NewTopic_new(topicName(i).c_str(), kPartitions, 1, err, sizeof err));
        rd_kafka_AdminOptions_t *options =
            rd_kafka_AdminOptions_new(admin.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS);
        rd_kafka_AdminOptions_set_request_timeout(options, kStepTimeoutMs, err, sizeof err);
        rd_kafka_AdminOptions_set_operation_timeout(options, kStepTimeoutMs, err, sizeof err);
        rd_kafka_CreateTopics(admin.get(), topics.data(), topics.size(), options, queue);
        rd_kafka_event_t *ev = test::waitForEvent(queue, kStepTimeoutMs * 2);
        std::string problem = !ev ? "no answer" : "";
        if (ev && rd_kafka_event_error(ev))
            problem = rd_kafka_event_error_string(ev);
        if (ev && problem.empty()) {
            std::size_t count = 0;
            const rd_kafka_topic_result_t **results =
                rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &count);
            for (std::size_t i = 0; i < count && problem.empty(); ++i)
                if (rd_kafka_topic_result_error(results[i]))
                    problem = std::string(rd_kafka_topic_result_name(results[i])) + ": " +
                              rd_kafka_topic_result_error_string(results[i]);
            if (problem.empty() && count != topics.size())
                problem = "fewer results than topics";
        }
        if (ev)
            rd_kafka_event_destroy(ev);
        rd_kafka_AdminOptions_destroy(options);
        for (rd_kafka_NewTopic_t *t : topics)
            rd_kafka_NewTopic_destroy(t);
        if (!problem.empty()) {
            std::fprintf(stderr, "creating topics from %d failed: %s\n", first, problem.c_str());
            rd_kafka_queue_destroy(queue);
            return 1;
        }
    }
    rd_kafka_queue_destroy(queue);

    auto producer = test::makeProducer(bootstrap, {{"acks", "all"}, {"linger.ms", "20"}});
    if (!producer)
        return 1;
    std::string value = "hello";
    for (int i = 0; i < kTopics; i += kTopics / kProducedTopics) {
        const std::string topic = topicName(i);
        rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                          RD_KAFKA_V_PARTITION(i % kPartitions),
                          RD_KAFKA_V_VALUE(value.data(), value.size()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    }
    if (test::flushProducer(producer.get(), kStepTimeoutMs * 2) != 0 ||
        test::deliveryFailures > 0) {
        std::fprintf(stderr, "producing failed\n");
        return 1;
    }
    return 0;
}

double kcatListMs(const QString &kcat, const QString &bootstrap)
{
    QProcess process;
    process.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    if (runChild(process, kcat, {QStringLiteral("-b"), bootstrap, QStringLiteral("-L")},
                 kStepTimeoutMs) != 0)
        fail(qPrintable(QStringLiteral("kcat -L failed: ") +
                        QString::fromLocal8Bit(process.readAllStandardError())));
    return ms(timer);
}

bool loaded(const models::TopicsModel *model)
{
    if (model->rowCount() < kTopics)
        return false;
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->messagesAt(row) < 0)
            return false;
    return true;
}

void settle(QTableView *view)
{
    QCoreApplication::processEvents();
    view->viewport()->repaint();
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

    const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    if (kcat.isEmpty())
        fail("kcat is not installed (./dev bench installs it)");

    test::TestBroker broker({QStringLiteral("--log-level"), QStringLiteral("warn")});
    if (!broker.start())
        fail(qPrintable(QStringLiteral("the broker did not start: ") + broker.recentLog()));
    {
        QElapsedTimer timer;
        timer.start();
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        if (runChild(child, QCoreApplication::applicationFilePath(),
                     {QStringLiteral("--populate"), broker.bootstrap()}, kPopulateTimeoutMs) != 0)
            fail("creating the topics failed");
        std::fprintf(stderr, "topics_10k: created %d topics x %d partitions in %.0f ms\n", kTopics,
                     kPartitions, ms(timer));
    }

    std::vector<double> kcatMs;
    for (int i = 0; i < kReferenceRuns; ++i)
        kcatMs.push_back(kcatListMs(kcat, broker.bootstrap()));

    client::ConnectionSettings settings;
    settings.name = QStringLiteral("bench");
    settings.properties.insert(QStringLiteral("bootstrap.servers"), broker.bootstrap());
    // The console's default request time-out: the load must fit in it, as for a user.
    client::ClusterSession session(settings, false);

    // Connected before the pane's own connections run, so these mark the signals' arrival;
    // the ones connected after the pane mark when the pane has handled them.
    QElapsedTimer timer;
    double connectedAt = -1, metadataAt = -1, topicsSetAt = -1, offsetsAt = -1, loadedAt = -1;
    double metadataRss = 0;
    QString refreshError;
    QObject::connect(session.client(), &client::ClusterClient::stateChanged, &session,
                     [&](client::ClusterClient::State state) {
                         if (state == client::ClusterClient::State::Connected && connectedAt < 0)
                             connectedAt = ms(timer);
                     });
    QObject::connect(&session, &client::ClusterSession::metadataChanged, &session, [&] {
        if (metadataAt < 0)
            metadataAt = ms(timer);
    });
    QObject::connect(&session, &client::ClusterSession::offsetsChanged, &session, [&] {
        if (offsetsAt < 0)
            offsetsAt = ms(timer);
    });
    QObject::connect(&session, &client::ClusterSession::refreshFailed, &session,
                     [&](const client::ClientError &e) { refreshError = e.message; });

    widgets::TopicsPane pane(&session);
    auto *model = qobject_cast<models::TopicsModel *>(pane.proxy()->sourceModel());
    if (!model)
        fail("the topics pane has no TopicsModel");
    QObject::connect(&session, &client::ClusterSession::metadataChanged, &session, [&] {
        if (topicsSetAt < 0) {
            topicsSetAt = ms(timer);
            metadataRss = rssMb();
        }
    });
    QObject::connect(&session, &client::ClusterSession::offsetsChanged, &session, [&] {
        const double at = ms(timer);
        if (loadedAt < 0 && loaded(model))
            loadedAt = at;
    });
    pane.resize(1200, 800);
    pane.show();
    if (!QTest::qWaitForWindowExposed(&pane))
        fail("the topics pane was not exposed");

    timer.start();
    session.open();
    const bool settled =
        QTest::qWaitFor([&] { return loadedAt >= 0 || !refreshError.isEmpty(); }, kLoadTimeoutMs);
    std::fprintf(stderr,
                 "topics_10k: connected %.0f ms, metadata arrived %.0f ms, model and proxy set "
                 "%.0f ms, offsets arrived %.0f ms, counts set %.0f ms (-1: never)\n",
                 connectedAt, metadataAt, topicsSetAt, offsetsAt, loadedAt);
    if (!settled)
        fail("the topics did not load within the time-out");
    if (loadedAt < 0)
        fail(qPrintable(QStringLiteral("the refresh failed: ") + refreshError));
    QElapsedTimer paint;
    paint.start();
    settle(pane.view());
    const double paintMs = ms(paint);
    const double loadedRss = rssMb();

    qint64 messages = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        messages += model->messagesAt(row);
    if (messages != kProducedTopics)
        fail(qPrintable(QStringLiteral("the model counts %1 messages, %2 were produced")
                            .arg(messages)
                            .arg(kProducedTopics)));
    std::fprintf(stderr, "topics_10k: %d rows, %lld messages; repaint after the load %.1f ms\n",
                 model->rowCount(), static_cast<long long>(messages), paintMs);

    QStringList names;
    names.reserve(model->rowCount());
    for (int row = 0; row < model->rowCount(); ++row)
        names.append(model->topicAt(row)->name);
    auto *filter = pane.findChild<QLineEdit *>(QStringLiteral("topicFilter"));
    if (!filter)
        fail("no topicFilter line edit");
    // Narrow down to one topic family and number, take it back, start on another.
    std::vector<int> keys;
    for (char c : std::string("orders-12"))
        keys.push_back(c);
    keys.insert(keys.end(), 9, Qt::Key_Backspace);
    keys.push_back('p');
    keys.push_back('a');
    std::vector<double> keyMs, loopMs;
    for (int key : keys) {
        QElapsedTimer t;
        t.start();
        if (key == Qt::Key_Backspace)
            QTest::keyClick(filter, Qt::Key_Backspace);
        else
            QTest::keyClick(filter, char(key));
        settle(pane.view());
        keyMs.push_back(ms(t));

        const QString pattern = filter->text();
        t.start();
        int shown = 0;
        for (const QString &name : std::as_const(names))
            if (name.contains(pattern, Qt::CaseInsensitive))
                ++shown;
        loopMs.push_back(ms(t));
        if (shown != pane.proxy()->rowCount())
            fail(qPrintable(QStringLiteral("filter \"%1\" shows %2 rows, %3 names contain it")
                                .arg(pattern)
                                .arg(pane.proxy()->rowCount())
                                .arg(shown)));
    }
    if (!filter->text().isEmpty() && filter->text() != QStringLiteral("pa"))
        fail("the filter did not receive the keystrokes");

    bench::report("topics_10k_load", loadedAt, "ms", "kcat-L", median(kcatMs));
    bench::report("topics_10k_filter_keystroke", median(keyMs), "ms", "plain-contains-loop",
                  median(loopMs));
    bench::report("topics_10k_filter_keystroke_max", *std::max_element(keyMs.begin(), keyMs.end()),
                  "ms", "plain-contains-loop", *std::max_element(loopMs.begin(), loopMs.end()));
    bench::report("topics_10k_rss", loadedRss, "MB", "empty-process", emptyRss);
    // How much of it is memory the allocator holds on to rather than live data.
    malloc_trim(0);
    std::fprintf(stderr, "topics_10k: rss %.1f MB after the metadata, %.1f MB after malloc_trim\n",
                 metadataRss, rssMb());

    session.close();
    if (!broker.stop())
        std::fprintf(stderr, "bench_topics_10k: the broker did not stop cleanly\n");
    return 0;
}
