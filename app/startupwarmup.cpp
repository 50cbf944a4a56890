#include "startupwarmup.h"

#include <QFontDatabase>
#include <QImageReader>
#include <QStringList>
#include <dlfcn.h>

namespace periscope::app {

StartupWarmup::StartupWarmup()
    : m_pool(QStringLiteral("start-up"), 1)
    , m_job(m_pool.submit([this](const jobs::JobToken &) {
        run();
        return 0;
    }))
{}

StartupWarmup::~StartupWarmup()
{
    finish();
}

void StartupWarmup::applicationReady()
{
    {
        const std::lock_guard lock(m_mutex);
        m_appReady = true;
    }
    m_changed.notify_all();
}

void StartupWarmup::waitForFontConfig()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_fontConfigLoaded; });
}

void StartupWarmup::finish()
{
    {
        // Called before applicationReady(), the thread would otherwise wait for it forever.
        const std::lock_guard lock(m_mutex);
        m_abandoned = true;
    }
    m_changed.notify_all();
    m_job.wait();
}

void StartupWarmup::run()
{
    // Qt Gui has already mapped fontconfig when Qt uses it; looked up rather than linked, so
    // a Qt built without fontconfig just skips this.
    using FcInitFn = int (*)();
    if (auto fcInit = reinterpret_cast<FcInitFn>(dlsym(RTLD_DEFAULT, "FcInit")))
        fcInit();

    std::unique_lock lock(m_mutex);
    m_fontConfigLoaded = true;
    m_changed.notify_all();
    m_changed.wait(lock, [this] { return m_appReady || m_abandoned; });
    if (!m_appReady)
        return;
    lock.unlock();

    QFontDatabase::families();             // the first call reads the system's fonts
    QImageReader::supportedImageFormats(); // loads each image-format plugin once
}

} // namespace periscope::app
