#include "localpool.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

namespace periscope::jobs {

namespace {

class LocalPoolOwner final : public QObject
{
public:
    static constexpr int kShutdownMs = 2000;

    explicit LocalPoolOwner(QObject *parent)
        : QObject(parent)
        , pool(QStringLiteral("local"), localPoolThreads())
    {}
    ~LocalPoolOwner() override
    {
        if (!shutDown)
            pool.shutdown(kShutdownMs);
    }

    JobPool pool;
    bool shutDown = false; // shutdownLocalPool() already waited: the destructor does not again
};

// Not an owner: the application object owns it, and the pointer clears itself when it goes.
QPointer<LocalPoolOwner> owner;

} // namespace

int localPoolThreads()
{
    // Some of it waits on disks or on librdkafka closing a handle, not only on the CPU.
    return std::max(4, QThread::idealThreadCount());
}

JobPool &localPool()
{
    QCoreApplication *app = QCoreApplication::instance();
    Q_ASSERT_X(app && QThread::currentThread() == app->thread(), "localPool",
               "made on the application's thread");
    if (!owner)
        owner = new LocalPoolOwner(app);
    return owner->pool;
}

bool shutdownLocalPool(int timeoutMs)
{
    if (!owner)
        return true;
    const bool ended = owner->pool.shutdown(timeoutMs);
    owner->shutDown = true;
    delete owner.data();
    return ended;
}

} // namespace periscope::jobs
