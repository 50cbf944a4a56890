// periscope-broker: a Kafka-protocol broker for development and tests.
#include "api/broker.h"
#include "net/server.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace periscope::broker;

namespace {

int fail(const std::string &message)
{
    std::fprintf(stderr, "periscope-broker: %s\n", message.c_str());
    return 2;
}

// Holds an exclusive lock on the data directory for the life of the process.
int lockDataDir(const std::filesystem::path &dir, std::string &error)
{
    const auto path = dir / ".lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = "cannot open " + path.string() + ": " + std::strerror(errno);
        return -1;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        error = "data directory " + dir.string() +
                " is in use by another periscope-broker; stop it or choose another --data-dir";
        ::close(fd);
        return -1;
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) [[maybe_unused]]
        auto n = ::write(fd, pid.data(), pid.size());
    return fd;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("periscope-broker"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PERISCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A Kafka-protocol broker for development."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QStringLiteral("Address to listen on (port 0 picks a free port)."),
        QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:9092"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
                                     QStringLiteral("Where topics and offsets are stored."),
                                     QStringLiteral("DIR"));
    const QCommandLineOption partitions(QStringLiteral("default-partitions"),
                                        QStringLiteral("Partitions of auto-created topics."),
                                        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption autoCreate(
        QStringLiteral("auto-create-topics"),
        QStringLiteral("Create unknown topics asked for in Metadata."),
        QStringLiteral("true|false"), QStringLiteral("true"));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
                                      QStringLiteral("trace, debug, info, warn, error or off."),
                                      QStringLiteral("LEVEL"), QStringLiteral("info"));
    const QCommandLineOption advertise(
        QStringLiteral("advertised-host"),
        QStringLiteral("Host name given to clients (default: the listen host, "
                       "or 127.0.0.1 when listening on 0.0.0.0)."),
        QStringLiteral("HOST"));
    const QCommandLineOption joinDelay(
        QStringLiteral("group-initial-rebalance-delay-ms"),
        QStringLiteral("How long a new group waits for more members."), QStringLiteral("MS"),
        QStringLiteral("500"));
    const QCommandLineOption retentionCheck(QStringLiteral("retention-check-interval-ms"),
                                            QStringLiteral("How often retention is applied."),
                                            QStringLiteral("MS"), QStringLiteral("10000"));
    parser.addOptions(
        {listen, dataDir, partitions, autoCreate, logLevel, advertise, joinDelay, retentionCheck});
    parser.process(app);

    // Every segment holds three descriptors; take all the kernel allows us.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }

    auto logger = spdlog::stderr_color_mt("periscope-broker");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    const auto level = spdlog::level::from_str(parser.value(logLevel).toStdString());
    if (level == spdlog::level::off && parser.value(logLevel) != QStringLiteral("off"))
        return fail("unknown --log-level " + parser.value(logLevel).toStdString());
    spdlog::set_level(level);

    const QString hostPort = parser.value(listen);
    const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const int port = colon > 0 ? hostPort.mid(colon + 1).toInt(&portOk) : -1;
    if (!portOk || port < 0 || port > 65535)
        return fail("--listen wants HOST:PORT, got " + hostPort.toStdString());
    ServerOptions serverOptions;
    serverOptions.host = hostPort.left(colon).toStdString();
    serverOptions.port = port;

    bool numberOk = false;
    BrokerOptions options;
    options.defaultPartitions = parser.value(partitions).toInt(&numberOk);
    if (!numberOk || options.defaultPartitions < 1)
        return fail("--default-partitions wants a number of at least 1");
    const QString create = parser.value(autoCreate);
    if (create != QStringLiteral("true") && create != QStringLiteral("false"))
        return fail("--auto-create-topics wants true or false");
    options.autoCreateTopics = create == QStringLiteral("true");
    options.initialRebalanceDelayMs = parser.value(joinDelay).toLongLong(&numberOk);
    if (!numberOk || options.initialRebalanceDelayMs < 0)
        return fail("--group-initial-rebalance-delay-ms wants a number of milliseconds");
    options.retentionCheckIntervalMs = parser.value(retentionCheck).toLongLong(&numberOk);
    if (!numberOk || options.retentionCheckIntervalMs < 1)
        return fail("--retention-check-interval-ms wants a number of milliseconds");
    QString dir = parser.value(dataDir);
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
              QStringLiteral("/periscope/broker");
    options.dataDir = QDir(dir).absolutePath().toStdString();
    options.advertisedHost = parser.isSet(advertise) ? parser.value(advertise).toStdString()
                             : serverOptions.host == "0.0.0.0" ? std::string("127.0.0.1")
                                                               : serverOptions.host;

    std::error_code ec;
    std::filesystem::create_directories(options.dataDir, ec);
    if (ec)
        return fail("cannot create data directory " + options.dataDir.string() + ": " +
                    ec.message());
    std::string error;
    const int lockFd = lockDataDir(options.dataDir, error);
    if (lockFd < 0)
        return fail(error);

    const auto cleanMarker = options.dataDir / ".clean-shutdown";
    const bool clean = std::filesystem::exists(cleanMarker);
    Broker broker(options);
    try {
        broker.open(clean);
        std::filesystem::remove(cleanMarker, ec);
    } catch (const std::exception &e) {
        return fail(std::string("cannot open the data directory: ") + e.what());
    }
    if (!clean && broker.store().truncatedBytes() > 0)
        spdlog::warn("recovered from an unclean stop: cut {} bytes of torn log tails",
                     broker.store().truncatedBytes());

    Server server(broker, serverOptions);
    if (!server.listen(error))
        return fail(error);
    broker.setAdvertisedPort(server.port());
    broker.attach(&server);
    server.catchSignals();
    std::printf("periscope-broker ready bootstrap=%s:%d data=%s\n", options.advertisedHost.c_str(),
                server.port(), options.dataDir.c_str());
    std::fflush(stdout);
    spdlog::info("listening on {}:{}, cluster id {}, data in {}", serverOptions.host, server.port(),
                 broker.clusterId(), options.dataDir.string());

    server.run();
    broker.flush();
    if (FILE *f = std::fopen(cleanMarker.c_str(), "w"))
        std::fclose(f);
    spdlog::info("stopped");
    ::close(lockFd);
    return 0;
}
