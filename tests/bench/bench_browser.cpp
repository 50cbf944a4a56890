// ./dev bench browser: the message browser over a periscope-broker topic of 6 partitions
// holding 1,000,000 messages of 100 bytes (10-byte key, 90-byte value).
//   browser_load_1m      msgs/s from Load (Start Oldest, Stop Now) until the pane's model
//                        holds every message; ref: kcat -C -e to /dev/null, msgs/s
//   browser_load_1m_rss  MB resident after the load; ref: the same process before it
//   browser_filter_1m    ms for the pane's substring filter (filterRows on a snapshot, as the
//                        pane runs it off the GUI thread); ref: grep -c over the values
//   browser_paint        ms per repaint of the table while paging through the million
//                        (median; _max the worst); ref: a QTableView over a constant model
#include "benchutil.h"
#include "browser/messagebrowserpane.h"
#include "browser/messagefilter.h"
#include "browser/messagefilterproxy.h"
#include "browser/messagemodel.h"
#include "client/clustersession.h"
#include "kafka.h"
#include "testbroker.h"

#include <QAbstractTableModel>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QProcess>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace periscope;

namespace {

using bench::median;
using bench::ms;
using bench::rssMb;
using bench::runChild;

constexpr int kMessages = 1000000;
constexpr int kPartitions = 6;
constexpr int kNeedleEvery = 100; // every 100th value carries the needle
constexpr int kPageSteps = 50;
constexpr int kReferenceRuns = 3;
constexpr int kPopulateTimeoutMs = 600000;
constexpr int kLoadTimeoutMs = 300000;
constexpr int kStepTimeoutMs = 60000;
const char *const kTopic = "browse-1m";
const char *const kNeedle = "needle-here";

[[noreturn]] void fail(const QString &what)
{
    bench::fail("bench_browser", what);
}

double cpuMs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// CPU the broker process has used so far, from /proc/<pid>/stat (utime + stime).
double brokerCpuMs(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    // Fields after the command name, which is in parentheses and may hold spaces.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return (fields[11].toDouble() + fields[12].toDouble()) * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

// CPU used by the finished child processes so far.
double childrenCpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

QByteArray loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().left(14).trimmed() : QByteArray("?");
}

// Exactly 90 bytes of printable text; the needle in every kNeedleEvery-th.
std::string valueOf(int i)
{
    char head[48];
    const int n = std::snprintf(head, sizeof head, "{\"id\":%07d,\"user\":\"u%05d\",\"note\":\"", i,
                                i % 50000);
    std::string v(head, std::size_t(n));
    if (i % kNeedleEvery == 0)
        v += kNeedle;
    static const char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
    while (v.size() < 88)
        v += kLetters[(i + v.size()) % 26];
    v += "\"}";
    return v;
}

// Runs in a child process so the producer's memory stays out of the measured process.
int populate(const std::string &bootstrap)
{
    auto admin = test::makeAdmin(bootstrap);
    if (!admin)
        return 1;
    const std::string created = test::createTopic(admin.get(), kTopic, kPartitions);
    if (!created.empty()) {
        std::fprintf(stderr, "creating %s failed: %s\n", kTopic, created.c_str());
        return 1;
    }
    auto producer = test::makeProducer(bootstrap, {{"linger.ms", "50"},
                                                   {"batch.size", "1000000"},
                                                   {"queue.buffering.max.messages", "1000000"},
                                                   {"compression.type", "none"}});
    if (!producer)
        return 1;
    for (int i = 0; i < kMessages; ++i) {
        char key[16];
        std::snprintf(key, sizeof key, "key-%06d", i); // 10 bytes
        const std::string value = valueOf(i);
        const rd_kafka_resp_err_t err =
            rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(kTopic),
                              RD_KAFKA_V_PARTITION(i % kPartitions), RD_KAFKA_V_KEY(key, 10),
                              RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(producer.get(), 10);
            --i;
        } else if (err) {
            std::fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
            return 1;
        }
    }
    if (test::flushProducer(producer.get(), kPopulateTimeoutMs) != 0 ||
        test::deliveryFailures > 0) {
        std::fprintf(stderr, "producing failed (%d failed deliveries)\n",
                     int(test::deliveryFailures));
        return 1;
    }
    return 0;
}

double kcatConsumeMs(const QString &kcat, const QString &bootstrap)
{
    QProcess process;
    process.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    if (runChild(process, kcat,
                 {QStringLiteral("-b"), bootstrap, QStringLiteral("-C"), QStringLiteral("-t"),
                  QString::fromLatin1(kTopic), QStringLiteral("-e"), QStringLiteral("-o"),
                  QStringLiteral("beginning"), QStringLiteral("-q")},
                 kLoadTimeoutMs) != 0)
        fail(QStringLiteral("kcat -C failed: ") +
             QString::fromLocal8Bit(process.readAllStandardError()));
    return ms(timer);
}

// The reference table's model: as cheap as a model can be.
class ConstantModel final : public QAbstractTableModel
{
public:
    explicit ConstantModel(int rows, QObject *parent = nullptr)
        : QAbstractTableModel(parent)
        , m_rows(rows)
    {}
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : m_rows;
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : models::MessageModel::ColumnCount;
    }
    QVariant data(const QModelIndex &, int role) const override
    {
        return role == Qt::DisplayRole ? QVariant(QStringLiteral("abc")) : QVariant();
    }

private:
    int m_rows;
};

// Milliseconds of each repaint while the view pages through its rows, scroll included.
std::vector<double> pageThrough(QTableView *view)
{
    QScrollBar *bar = view->verticalScrollBar();
    bar->setValue(0);
    QCoreApplication::processEvents();
    view->viewport()->repaint(); // the first paint lays out fonts and caches for both views
    std::vector<double> out;
    for (int step = 0; step < kPageSteps; ++step) {
        QElapsedTimer t;
        t.start();
        bar->setValue(int(qint64(bar->maximum()) * step / (kPageSteps - 1)));
        view->viewport()->repaint();
        out.push_back(ms(t));
        QCoreApplication::processEvents();
    }
    if (bar->value() != bar->maximum())
        fail(QStringLiteral("the view did not reach its last page"));
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 3 && std::string(argv[1]) == "--populate")
        return populate(argv[2]);

    bench::preferOffscreen();
    QApplication app(argc, argv);
    spdlog::set_level(spdlog::level::warn);

    const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    if (kcat.isEmpty())
        fail(QStringLiteral("kcat is not installed (./dev bench installs it)"));
    const QString grep = QStandardPaths::findExecutable(QStringLiteral("grep"));
    if (grep.isEmpty())
        fail(QStringLiteral("grep is not installed"));

    test::TestBroker broker({QStringLiteral("--log-level"), QStringLiteral("warn")});
    if (!broker.start())
        fail(QStringLiteral("the broker did not start: ") + broker.recentLog());
    {
        QElapsedTimer timer;
        timer.start();
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        if (runChild(child, QCoreApplication::applicationFilePath(),
                     {QStringLiteral("--populate"), broker.bootstrap()}, kPopulateTimeoutMs) != 0)
            fail(QStringLiteral("producing the messages failed"));
        std::fprintf(stderr, "browser: produced %d messages in %.0f ms\n", kMessages, ms(timer));
    }

    const qint64 brokerPid = broker.process().processId();
    std::vector<double> kcatMs;
    const double brokerCpuBeforeKcat = brokerCpuMs(brokerPid);
    const double childrenCpuBeforeKcat = childrenCpuMs();
    for (int i = 0; i < kReferenceRuns; ++i)
        kcatMs.push_back(kcatConsumeMs(kcat, broker.bootstrap()));
    const double brokerCpuKcat = (brokerCpuMs(brokerPid) - brokerCpuBeforeKcat) / kReferenceRuns;
    const double kcatCpu = (childrenCpuMs() - childrenCpuBeforeKcat) / kReferenceRuns;
    const double kcatRate = kMessages / (median(kcatMs) / 1000.0);

    client::ConnectionSettings settings;
    settings.name = QStringLiteral("bench");
    settings.properties.insert(QStringLiteral("bootstrap.servers"), broker.bootstrap());
    client::ClusterSession session(settings, false);
    session.open();

    widgets::MessageBrowserPane pane(&session, QString::fromLatin1(kTopic));
    auto *start = pane.findChild<QComboBox *>(QStringLiteral("startCombo"));
    auto *stop = pane.findChild<QComboBox *>(QStringLiteral("stopCombo"));
    if (!start || !stop)
        fail(QStringLiteral("the pane has no startCombo or stopCombo"));
    start->setCurrentIndex(start->findData(int(client::BrowseRequest::Start::Oldest)));
    stop->setCurrentIndex(stop->findData(int(client::BrowseRequest::Stop::Now)));
    pane.resize(1400, 900);
    pane.show();
    if (!QTest::qWaitForWindowExposed(&pane))
        fail(QStringLiteral("the pane was not exposed"));
    QCoreApplication::processEvents();

    // ---- load
    bool finished = false;
    client::ClientError loadError;
    QObject::connect(&pane, &widgets::MessageBrowserPane::loadFinished, &pane,
                     [&](const client::ClientError &e) {
                         finished = true;
                         loadError = e;
                     });
    const double beforeRss = rssMb();
    QElapsedTimer timer;
    timer.start();
    double firstRowsAt = -1;
    // Stalls in the stream: the longest pauses between batches and how many rows were in.
    double lastRowsAt = -1;
    std::vector<std::pair<double, int>> gaps;
    int batches = 0;
    QObject::connect(pane.model(), &QAbstractItemModel::rowsInserted, &pane, [&] {
        const double at = ms(timer);
        if (firstRowsAt < 0)
            firstRowsAt = at;
        else
            gaps.emplace_back(at - lastRowsAt, pane.model()->rowCount());
        lastRowsAt = at;
        ++batches;
    });
    const double guiCpuBefore = cpuMs(CLOCK_THREAD_CPUTIME_ID);
    const double cpuBefore = cpuMs(CLOCK_PROCESS_CPUTIME_ID);
    const double brokerCpuBefore = brokerCpuMs(brokerPid);
    pane.load();
    if (!QTest::qWaitFor([&] { return finished; }, kLoadTimeoutMs))
        fail(QStringLiteral("the load did not finish within %1 s").arg(kLoadTimeoutMs / 1000));
    const double loadMs = ms(timer);
    // Where the time went: the GUI thread (appending, painting) against the whole process
    // (the browse thread decoding into batches besides).
    const double guiCpu = cpuMs(CLOCK_THREAD_CPUTIME_ID) - guiCpuBefore;
    const double processCpu = cpuMs(CLOCK_PROCESS_CPUTIME_ID) - cpuBefore;
    const double brokerCpu = brokerCpuMs(brokerPid) - brokerCpuBefore;
    if (loadError.isError())
        fail(QStringLiteral("the load failed: ") + loadError.message);
    if (pane.model()->rowCount() != kMessages)
        fail(QStringLiteral("the model holds %1 rows, %2 were produced")
                 .arg(pane.model()->rowCount())
                 .arg(kMessages));
    QCoreApplication::processEvents();
    const double loadedRss = rssMb();
    std::fprintf(stderr,
                 "browser: load %.0f ms (first rows %.0f ms), kcat %.0f ms (median of %d), "
                 "model %.1f MB; cpu during the load: GUI thread %.0f ms, process %.0f ms, "
                 "broker %.0f ms; per kcat run: kcat %.0f ms, broker %.0f ms; load average %s\n",
                 loadMs, firstRowsAt, median(kcatMs), kReferenceRuns,
                 pane.model()->memoryBytes() / 1048576.0, guiCpu, processCpu, brokerCpu, kcatCpu,
                 brokerCpuKcat, loadAverage().constData());
    std::sort(gaps.begin(), gaps.end(), std::greater<>());
    QByteArray longest;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, gaps.size()); ++i)
        longest += QByteArray::number(gaps[i].first, 'f', 0) + " ms before row " +
                   QByteArray::number(gaps[i].second) + "; ";
    std::fprintf(stderr, "browser: %d batches, last at %.0f ms; longest pauses: %s\n", batches,
                 lastRowsAt, longest.constData());
    bench::report("browser_load_1m", kMessages / (loadMs / 1000.0), "msgs/s", "kcat-C", kcatRate);
    bench::report("browser_load_1m_rss", loadedRss, "MB", "before-load", beforeRss);

    // ---- filter
    models::MessageFilter filter;
    filter.setText(QString::fromLatin1(kNeedle));
    const auto snapshot = pane.model()->snapshot();
    timer.start();
    const QVector<int> matched = models::filterRows(*snapshot, filter);
    const double filterMs = ms(timer);
    const int expected = kMessages / kNeedleEvery;
    if (matched.size() != expected)
        fail(QStringLiteral("the filter matched %1 rows, %2 expected")
                 .arg(matched.size())
                 .arg(expected));

    QTemporaryDir dir;
    if (!dir.isValid())
        fail(QStringLiteral("no temporary directory"));
    const QString valuesPath = dir.filePath(QStringLiteral("values.txt"));
    {
        QFile out(valuesPath);
        if (!out.open(QIODevice::WriteOnly))
            fail(QStringLiteral("cannot write ") + valuesPath);
        QByteArray buffer;
        buffer.reserve(1 << 20);
        for (int row = 0; row < kMessages; ++row) {
            buffer += pane.model()->valueAt(row);
            buffer += '\n';
            if (buffer.size() > (1 << 20) - 256) {
                out.write(buffer);
                buffer.clear();
            }
        }
        out.write(buffer);
    }
    std::vector<double> grepMs;
    for (int i = 0; i < kReferenceRuns; ++i) {
        QProcess process;
        timer.start();
        if (runChild(process, grep,
                     {QStringLiteral("-c"), QString::fromLatin1(kNeedle), valuesPath},
                     kStepTimeoutMs) != 0)
            fail(QStringLiteral("grep -c failed: ") +
                 QString::fromLocal8Bit(process.readAllStandardError()));
        grepMs.push_back(ms(timer));
        const int counted = process.readAllStandardOutput().trimmed().toInt();
        if (counted != expected)
            fail(QStringLiteral("grep counted %1 lines, %2 expected").arg(counted).arg(expected));
    }
    bench::report("browser_filter_1m", filterMs, "ms", "grep-c", median(grepMs));

    // ---- paint
    QTableView *view = pane.view();
    if (view->model()->rowCount() != kMessages)
        fail(QStringLiteral("the pane's view shows %1 rows").arg(view->model()->rowCount()));
    const std::vector<double> paneMs = pageThrough(view);

    ConstantModel constant(kMessages);
    QTableView plain;
    plain.setModel(&constant);
    plain.verticalHeader()->hide();
    plain.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    plain.verticalHeader()->setDefaultSectionSize(view->verticalHeader()->defaultSectionSize());
    for (int c = 0; c < models::MessageModel::ColumnCount; ++c)
        plain.setColumnWidth(c, view->columnWidth(c));
    plain.resize(view->size());
    plain.show();
    if (!QTest::qWaitForWindowExposed(&plain))
        fail(QStringLiteral("the reference view was not exposed"));
    const std::vector<double> plainMs = pageThrough(&plain);
    std::fprintf(stderr, "browser: pane view %dx%d, %d rows on a page\n", view->width(),
                 view->height(),
                 view->viewport()->height() / view->verticalHeader()->defaultSectionSize());
    bench::report("browser_paint", median(paneMs), "ms", "plain-model", median(plainMs));
    bench::report("browser_paint_max", *std::max_element(paneMs.begin(), paneMs.end()), "ms",
                  "plain-model", *std::max_element(plainMs.begin(), plainMs.end()));

    pane.cancel();
    session.close();
    if (!broker.stop())
        std::fprintf(stderr, "bench_browser: the broker did not stop cleanly\n");
    return 0;
}
