// periscope-broker: a Kafka-protocol broker for development and tests.
#include "api/broker.h"
#include "net/server.h"
#include "storage/fileio.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
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

// One USER:PASSWORD entry; the password may hold colons, the user name cannot. Errors name
// the entry by its place, never by its content (it holds a password).
bool addUser(const QString &entry, const std::string &where,
             std::map<std::string, std::string> &users, std::string &error)
{
    const qsizetype colon = entry.indexOf(QLatin1Char(':'));
    if (colon <= 0 || colon == entry.size() - 1) {
        error = where + " is not USER:PASSWORD";
        return false;
    }
    users[entry.left(colon).toStdString()] = entry.mid(colon + 1).toStdString();
    return true;
}

bool readUsersFile(const QString &path, std::map<std::string, std::string> &users,
                   std::string &error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        error = "cannot read " + path.toStdString() + ": " + file.errorString().toStdString();
        return false;
    }
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (!line.isEmpty() && !line.startsWith(QLatin1Char('#')) &&
            !addUser(line, path.toStdString() + " line " + std::to_string(i + 1), users, error))
            return false;
    }
    return true;
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
    const QCommandLineOption rack(QStringLiteral("rack"),
                                  QStringLiteral("Rack given to clients (broker.rack)."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption joinDelay(
        QStringLiteral("group-initial-rebalance-delay-ms"),
        QStringLiteral("How long a new group waits for more members."), QStringLiteral("MS"),
        QStringLiteral("500"));
    const QCommandLineOption retentionCheck(QStringLiteral("retention-check-interval-ms"),
                                            QStringLiteral("How often retention is applied."),
                                            QStringLiteral("MS"), QStringLiteral("10000"));
    const QCommandLineOption maxConnections(
        QStringLiteral("max-connections"),
        QStringLiteral("Most client connections open at once; more are refused (max.connections)."),
        QStringLiteral("N"), QStringLiteral("2147483647"));
    const QCommandLineOption idleMs(
        QStringLiteral("connections-max-idle-ms"),
        QStringLiteral("Close connections idle this long (connections.max.idle.ms)."),
        QStringLiteral("MS"), QStringLiteral("600000"));
    const QCommandLineOption flushMessages(
        QStringLiteral("log-flush-interval-messages"),
        QStringLiteral("Sync a log to disk after this many messages, unless a topic's "
                       "flush.messages says otherwise (log.flush.interval.messages)."),
        QStringLiteral("N"), QStringLiteral("9223372036854775807"));
    const QCommandLineOption flushMs(
        QStringLiteral("log-flush-interval-ms"),
        QStringLiteral("Sync a log to disk once its unsynced data is this old, unless a topic's "
                       "flush.ms says otherwise (log.flush.interval.ms)."),
        QStringLiteral("MS"), QStringLiteral("9223372036854775807"));
    const QCommandLineOption fetchMaxBytes(
        QStringLiteral("fetch-max-bytes"),
        QStringLiteral("Most bytes one Fetch answer carries beyond its first batch "
                       "(fetch.max.bytes)."),
        QStringLiteral("BYTES"), QStringLiteral("57671680"));
    const QCommandLineOption saslUsers(
        QStringLiteral("sasl-plain-users"),
        QStringLiteral("Require SASL/PLAIN (SASL_PLAINTEXT) with these users."),
        QStringLiteral("USER:PASSWORD,..."));
    const QCommandLineOption saslUsersFile(
        QStringLiteral("sasl-plain-users-file"),
        QStringLiteral("Require SASL/PLAIN with the users in FILE, one USER:PASSWORD a line."),
        QStringLiteral("FILE"));
    parser.addOptions({listen, dataDir, partitions, autoCreate, logLevel, advertise, rack,
                       joinDelay, retentionCheck, maxConnections, idleMs, flushMessages, flushMs,
                       fetchMaxBytes, saslUsers, saslUsersFile});
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
    const qlonglong connections = parser.value(maxConnections).toLongLong(&numberOk);
    if (!numberOk || connections < 1)
        return fail("--max-connections wants a number of at least 1");
    serverOptions.maxConnections = static_cast<std::size_t>(connections);
    serverOptions.connectionsMaxIdleMs = parser.value(idleMs).toLongLong(&numberOk);
    if (!numberOk || serverOptions.connectionsMaxIdleMs < 1)
        return fail("--connections-max-idle-ms wants a number of milliseconds");
    options.logDefaults.flushMessages = parser.value(flushMessages).toLongLong(&numberOk);
    if (!numberOk || options.logDefaults.flushMessages < 1)
        return fail("--log-flush-interval-messages wants a number of at least 1");
    options.logDefaults.flushMs = parser.value(flushMs).toLongLong(&numberOk);
    if (!numberOk || options.logDefaults.flushMs < 0)
        return fail("--log-flush-interval-ms wants a number of milliseconds");
    options.fetchMaxBytes = parser.value(fetchMaxBytes).toInt(&numberOk);
    if (!numberOk || options.fetchMaxBytes < 0)
        return fail("--fetch-max-bytes wants a number of bytes");
    std::string error;
    const QStringList userEntries = parser.value(saslUsers).split(QLatin1Char(','));
    for (qsizetype i = 0; parser.isSet(saslUsers) && i < userEntries.size(); ++i)
        if (!addUser(userEntries[i], "--sasl-plain-users entry " + std::to_string(i + 1),
                     options.saslPlainUsers, error))
            return fail(error);
    if (parser.isSet(saslUsersFile) &&
        !readUsersFile(parser.value(saslUsersFile), options.saslPlainUsers, error))
        return fail(error);
    if ((parser.isSet(saslUsers) || parser.isSet(saslUsersFile)) && options.saslPlainUsers.empty())
        return fail("--sasl-plain-users-file names no users");
    QString dir = parser.value(dataDir);
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
              QStringLiteral("/periscope/broker");
    options.dataDir = QDir(dir).absolutePath().toStdString();
    options.advertisedHost = parser.isSet(advertise) ? parser.value(advertise).toStdString()
                             : serverOptions.host == "0.0.0.0" ? std::string("127.0.0.1")
                                                               : serverOptions.host;

    options.rack = parser.value(rack).toStdString();

    std::error_code ec;
    std::filesystem::create_directories(options.dataDir, ec);
    if (ec)
        return fail("cannot create data directory " + options.dataDir.string() + ": " +
                    ec.message());
    const int lockFd = lockDataDir(options.dataDir, error);
    if (lockFd < 0)
        return fail(error);

    const auto cleanMarker = options.dataDir / ".clean-shutdown";
    const bool clean = std::filesystem::exists(cleanMarker);
    Broker broker(options);
    try {
        broker.open(clean);
        // The marker must be gone for good before anything is written: a power loss that
        // brought it back would skip the tail checks that a torn log then needs.
        if (std::filesystem::remove(cleanMarker, ec))
            syncDirectory(options.dataDir);
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
    spdlog::info("listening on {}:{} ({}), cluster id {}, data in {}", serverOptions.host,
                 server.port(),
                 broker.saslEnabled() ? "SASL_PLAINTEXT, mechanism PLAIN" : "PLAINTEXT",
                 broker.clusterId(), options.dataDir.string());

    server.run();
    if (broker.flush()) {
        if (FILE *f = std::fopen(cleanMarker.c_str(), "w"))
            std::fclose(f);
        spdlog::info("stopped");
    } else {
        // The next start then checks every log tail, as after a crash.
        spdlog::error("stopped after an I/O error: some data may not be on disk");
    }
    ::close(lockFd);
    return 0;
}
