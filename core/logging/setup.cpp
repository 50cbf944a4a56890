#include "setup.h"

#include "loghub.h"
#include "redact.h"

#include <QDir>
#include <QStandardPaths>
#include <mutex>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <vector>

namespace periscope::logging {

namespace {

constexpr size_t MaxFileSize = 5 * 1024 * 1024;
constexpr size_t MaxFiles = 3;
const char *const LoggerName = "periscope";

// Hides secrets before any sink sees the line. Being a sink rather than a logger subclass,
// it keeps redacting for loggers cloned from the default one.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    explicit RedactingSink(std::vector<spdlog::sink_ptr> sinks)
        : m_sinks(std::move(sinks))
    {}

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override
    {
        const std::string_view payload(msg.payload.data(), msg.payload.size());
        const std::string clean = redactSecrets(payload);
        spdlog::details::log_msg copy = msg;
        copy.payload = spdlog::string_view_t(clean.data(), clean.size());
        for (const spdlog::sink_ptr &child : m_sinks)
            if (child->should_log(copy.level))
                child->log(copy);
    }

    void flush_() override
    {
        for (const spdlog::sink_ptr &child : m_sinks)
            child->flush();
    }

private:
    std::vector<spdlog::sink_ptr> m_sinks;
};

spdlog::sink_ptr stderrSink()
{
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    sink->set_level(spdlog::level::warn);
    return sink;
}

} // namespace

QString defaultLogDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
           QStringLiteral("/logs");
}

QString logFileName(const QString &logDir)
{
    return QDir(logDir).filePath(QStringLiteral("periscope.log"));
}

void setupLogging(LogHub *hub, const QString &logDir, spdlog::level::level_enum level)
{
    std::vector<spdlog::sink_ptr> sinks;
    if (hub)
        sinks.push_back(hub->sink());

    std::string fileProblem;
    if (!logDir.isEmpty()) {
        if (QDir().mkpath(logDir)) {
            try {
                sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                    logFileName(logDir).toStdString(), MaxFileSize, MaxFiles));
            } catch (const spdlog::spdlog_ex &e) {
                fileProblem = e.what();
            }
        } else {
            fileProblem = "cannot create folder " + logDir.toStdString();
        }
    }
    sinks.push_back(stderrSink());

    auto redacting = std::make_shared<RedactingSink>(std::move(sinks));
    redacting->set_level(spdlog::level::trace);
    auto logger = std::make_shared<spdlog::logger>(LoggerName, std::move(redacting));
    logger->set_level(level);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
    spdlog::flush_every(std::chrono::seconds(2));

    if (!fileProblem.empty())
        spdlog::warn("log file disabled: {}", fileProblem);
}

void shutdownLogging()
{
    if (auto current = spdlog::default_logger())
        current->flush();
    auto logger = std::make_shared<spdlog::logger>(LoggerName, stderrSink());
    logger->set_level(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
}

} // namespace periscope::logging
