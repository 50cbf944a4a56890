// Does in a job, on a second thread, what the first frame would otherwise wait for on the main one.
//
// Why: the first widget that lays out text makes fontconfig parse /etc/fonts and its
// conf.d files (4-5 ms here), and the menu bar's first standard icon makes Qt load every
// image-format plugin to sniff one PNG (about 1 ms). Both are plain start-up costs that do
// not depend on anything the main thread builds, so they overlap its start instead.
#pragma once

#include "jobs/jobpool.h"

#include <condition_variable>
#include <mutex>

namespace periscope::app {

class StartupWarmup
{
public:
    StartupWarmup(); // starts loading the font configuration; construct before QApplication
    // Joins without touching Qt if applicationReady() was never called; otherwise call
    // finish() while the application object still exists.
    ~StartupWarmup();
    StartupWarmup(const StartupWarmup &) = delete;
    StartupWarmup &operator=(const StartupWarmup &) = delete;

    // The QGuiApplication exists and stays until finish(): the thread goes on to fill Qt's
    // font database and load the image-format plugins. Both are thread-safe in Qt and
    // guarded there, so the main thread asking for them meanwhile waits, never repeats.
    void applicationReady();
    // Blocks until fontconfig is loaded. Call before the first widget: fontconfig does not
    // wait for a load in progress elsewhere, it would parse everything a second time.
    void waitForFontConfig();
    void finish();

private:
    void run();

    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_fontConfigLoaded = false;
    bool m_appReady = false;
    bool m_abandoned = false;
    jobs::JobPool m_pool;
    jobs::Pending<int> m_job;
};

} // namespace periscope::app
