#include "kafkalibrary.h"

#include "jobs/localpool.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

namespace periscope::client::kafkalibrary {

namespace {

// The soname, not the development symlink: that one exists only with the -dev package.
constexpr const char *kSystemLibrary = "librdkafka.so.1";

// PERISCOPE_LIBRDKAFKA names another build to load, e.g. a newer librdkafka in /opt.
QByteArray libraryPath()
{
    const QByteArray chosen = qgetenv("PERISCOPE_LIBRDKAFKA");
    return chosen.isEmpty() ? QByteArray(kSystemLibrary) : chosen;
}

// librdkafka's 0xMMmmrrxx version as "M.m.r".
QString versionText(int version)
{
    return QStringLiteral("%1.%2.%3")
        .arg((version >> 24) & 0xff)
        .arg((version >> 16) & 0xff)
        .arg((version >> 8) & 0xff);
}

struct Library
{
    QByteArray path;
    void *handle = nullptr;
    QString error;
};

const Library &library()
{
    // A function-local static: concurrent first callers wait for one dlopen().
    static const Library loaded = [] {
        Library lib;
        lib.path = libraryPath();
        // RTLD_NOW: resolve librdkafka's own imports here, not later on a request's thread.
        lib.handle = dlopen(lib.path.constData(), RTLD_NOW | RTLD_LOCAL);
        if (!lib.handle) {
            lib.error = QString::fromLocal8Bit(dlerror());
            return lib;
        }
        // An older build lacks functions the client calls: refuse it here, with its version,
        // rather than failing at the first missing function.
        using VersionFn = int (*)();
        const auto version = reinterpret_cast<VersionFn>(dlsym(lib.handle, "rd_kafka_version"));
        const int found = version ? version() : 0;
        if (!version)
            lib.error = QCoreApplication::translate("periscope::client", "%1 is not librdkafka")
                            .arg(QString::fromLocal8Bit(lib.path));
        else if (found < RD_KAFKA_VERSION)
            lib.error = QCoreApplication::translate("periscope::client",
                                                    "%1 is librdkafka %2; %3 or newer is needed")
                            .arg(QString::fromLocal8Bit(lib.path), versionText(found),
                                 versionText(RD_KAFKA_VERSION));
        if (!lib.error.isEmpty()) {
            dlclose(lib.handle);
            lib.handle = nullptr;
        }
        return lib;
    }();
    return loaded;
}

} // namespace

bool load(QString *error)
{
    const Library &lib = library();
    if (!lib.handle && error)
        *error = lib.error;
    return lib.handle != nullptr;
}

void loadInBackground()
{
    jobs::localPool().submit([](const jobs::JobToken &) {
        QString error;
        if (!load(&error))
            spdlog::critical("Cannot load the Kafka client library: {}", error.toStdString());
        return 0;
    });
}

void *function(const char *name)
{
    const Library &lib = library();
    void *fn = lib.handle ? dlsym(lib.handle, name) : nullptr;
    if (!fn) {
        // Nothing sensible can follow: the caller is about to talk to a cluster.
        std::fprintf(stderr, "periscope: cannot use %s from %s: %s\n", name, lib.path.constData(),
                     lib.handle ? "the function is missing (librdkafka too old?)"
                                : qPrintable(lib.error));
        std::abort();
    }
    return fn;
}

} // namespace periscope::client::kafkalibrary
