// The one job mechanism: bounded pools, ids and cancel flags, delivery only to a living
// context, bounded mailboxes, and an orderly end.

#include "jobs/jobpool.h"
#include "jobs/localpool.h"
#include "jobs/mailbox.h"
#include "jobs/parallel.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

using namespace periscope::jobs;

namespace {

// A gate the test opens when it wants the jobs behind it to go on.
struct Gate
{
    std::mutex mutex;
    std::condition_variable changed;
    bool open = false;
    int waiting = 0;

    void pass()
    {
        std::unique_lock lock(mutex);
        ++waiting;
        changed.notify_all();
        changed.wait(lock, [this] { return open; });
        --waiting;
    }
    bool waitForWaiting(int n)
    {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(20), [&] { return waiting >= n; });
    }
    void release()
    {
        const std::lock_guard lock(mutex);
        open = true;
        changed.notify_all();
    }
};

} // namespace

class TestJobs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversTheResultOnTheContextThread()
    {
        JobPool pool(QStringLiteral("test"), 2);
        QObject context;
        std::thread::id ranOn;
        int got = 0;
        Qt::HANDLE deliveredOn = nullptr;
        pool.submit([&](const JobToken &) {
                ranOn = std::this_thread::get_id();
                return 42;
            })
            .then(&context, [&](int v) {
                got = v;
                deliveredOn = QThread::currentThreadId();
            });
        QTRY_COMPARE(got, 42);
        QVERIFY(ranOn != std::this_thread::get_id());
        QCOMPARE(deliveredOn, QThread::currentThreadId());
    }

    void neverRunsMoreThanItsBound()
    {
        JobPool pool(QStringLiteral("bounded"), 3);
        Gate gate;
        std::atomic<int> now{0}, most{0};
        QList<Pending<int>> jobs;
        for (int i = 0; i < 10; ++i)
            jobs.append(pool.submit([&](const JobToken &) {
                const int n = ++now;
                int seen = most;
                while (n > seen && !most.compare_exchange_weak(seen, n)) {
                }
                gate.pass();
                --now;
                return 0;
            }));
        QVERIFY(gate.waitForWaiting(3));
        QCOMPARE(pool.runningJobs(), 3);
        QCOMPARE(pool.waitingJobs(), 7);
        QCOMPARE(pool.threadCount(), 3);
        gate.release();
        for (const auto &j : jobs)
            j.wait();
        QCOMPARE(most.load(), 3);
    }

    void jobsHaveDistinctIds()
    {
        JobPool pool(QStringLiteral("ids"), 1);
        std::set<quint64> ids;
        std::vector<quint64> seen(20);
        QList<Pending<int>> jobs;
        for (int i = 0; i < 20; ++i) {
            jobs.append(pool.submit([&seen, i](const JobToken &t) {
                seen[std::size_t(i)] = t.id();
                return i;
            }));
            ids.insert(jobs.last().id());
        }
        QCOMPARE(ids.size(), std::size_t(20));
        for (int i = 0; i < 20; ++i) {
            jobs[i].wait();
            QCOMPARE(seen[std::size_t(i)], jobs[i].id()); // the job knows its own number
        }
    }

    void cancelReachesARunningJobAndDropsItsResult()
    {
        JobPool pool(QStringLiteral("cancel"), 1);
        QObject context;
        std::atomic<bool> started{false};
        bool delivered = false;
        auto job = pool.submit([&](const JobToken &t) {
            started = true;
            // Would wait a minute; cancel ends the wait at once.
            return t.sleepFor(60000) ? 1 : 0;
        });
        job.then(&context, [&](int) { delivered = true; });
        QTRY_VERIFY(started);
        job.cancel();
        QVERIFY(job.isCancelled());
        job.wait();
        QCOMPARE(job.result(), 0);
        // The watcher's turn comes and goes without a delivery.
        QTest::qWait(0);
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
    }

    void aJobCancelledBeforeItStartsStillRunsCancelled()
    {
        JobPool pool(QStringLiteral("queued"), 1);
        Gate gate;
        auto first = pool.submit([&](const JobToken &) {
            gate.pass();
            return true;
        });
        auto second = pool.submit([](const JobToken &t) { return t.cancelled(); });
        QVERIFY(gate.waitForWaiting(1));
        second.cancel();
        gate.release();
        QCOMPARE(second.result(), true);
        QCOMPARE(first.result(), true);
    }

    void noDeliveryOnceTheContextIsGone()
    {
        JobPool pool(QStringLiteral("context"), 1);
        Gate gate;
        bool delivered = false;
        auto *context = new QObject;
        auto job = pool.submit([&](const JobToken &) {
            gate.pass();
            return 1;
        });
        job.then(context, [&](int) { delivered = true; });
        QVERIFY(gate.waitForWaiting(1));
        delete context;
        gate.release();
        job.wait();
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
    }

    void destroyingAPoolCancelsWithoutWaiting()
    {
        QObject context;
        Gate gate;
        bool delivered = false;
        std::atomic<bool> sawCancel{false};
        std::optional<Pending<int>> job;
        {
            JobPool pool(QStringLiteral("dropped"), 1);
            job = pool.submit([&](const JobToken &t) {
                gate.pass();
                sawCancel = t.cancelled();
                return 1;
            });
            job->then(&context, [&](int) { delivered = true; });
            QVERIFY(gate.waitForWaiting(1));
        } // the job is still inside: the pool goes without waiting for it
        QVERIFY(job->isCancelled());
        gate.release();
        job->wait();
        QVERIFY(sawCancel);
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
        QVERIFY(waitForJobThreads(20000));
    }

    void shutdownWaitsABoundedTime()
    {
        JobPool pool(QStringLiteral("stuck"), 2);
        Gate gate;
        auto stuck = pool.submit([&](const JobToken &) {
            gate.pass(); // ignores its cancel flag, like a blocking library call
            return 0;
        });
        auto polite = pool.submit([](const JobToken &t) { return t.sleepFor(60000) ? 1 : 0; });
        QVERIFY(gate.waitForWaiting(1));
        QVERIFY(!pool.shutdown(200)); // one job would not end
        QCOMPARE(polite.result(), 0);
        gate.release();
        QVERIFY(pool.shutdown(20000));
        // Jobs submitted after the end still get their (cancelled) turn.
        QCOMPARE(pool.submit([](const JobToken &t) { return t.cancelled(); }).result(), true);
    }

    void idleThreadsAreReused()
    {
        JobPool pool(QStringLiteral("reuse"), 4);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(pool.submit([i](const JobToken &) { return i; }).result(), i);
        QCOMPARE(pool.threadCount(), 1);
    }

    void parallelForDoesEveryStepOnce()
    {
        JobPool pool(QStringLiteral("parallel"), 3);
        std::vector<std::atomic<int>> hits(1000);
        pool.submit([&](const JobToken &t) {
                parallelFor(t, hits.size(), 4, [&](std::size_t i) { ++hits[i]; });
                return 0;
            })
            .wait();
        for (const auto &h : hits)
            QCOMPARE(h.load(), 1);
    }

    void parallelForFinishesWhenThePoolIsFull()
    {
        // One thread, taken by the caller itself: helpers can never start, and the caller
        // does every step alone instead of waiting for them.
        JobPool pool(QStringLiteral("full"), 1);
        std::atomic<int> steps{0};
        pool.submit([&](const JobToken &t) {
                parallelFor(t, 100, 4, [&](std::size_t) { ++steps; });
                return 0;
            })
            .wait();
        QCOMPARE(steps.load(), 100);
    }

    void mailboxDeliversInOrderToItsReceiver()
    {
        QObject receiver;
        auto box = Mailbox::create(&receiver);
        QList<int> got;
        std::thread([box, &got] {
            for (int i = 0; i < 100; ++i)
                box->post([&got, i] { got.append(i); });
        }).join();
        QTRY_COMPARE(got.size(), 100);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(got.at(i), i);
    }

    void mailboxStopsWithItsReceiver()
    {
        auto *receiver = new QObject;
        auto box = Mailbox::create(receiver);
        bool ran = false;
        box->post([&ran] { ran = true; });
        delete receiver; // before its turn came
        QVERIFY(box->isClosed());
        box->post([&ran] { ran = true; });
        QCoreApplication::processEvents();
        QVERIFY(!ran);
    }

    void closedMailboxDropsWhatWasPending()
    {
        QObject receiver;
        auto box = Mailbox::create(&receiver);
        bool ran = false;
        box->post([&ran] { ran = true; });
        box->close();
        QCoreApplication::processEvents();
        QVERIFY(!ran);
        QVERIFY(!box->waitForRoom(0));
        // Its helper object goes too.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(receiver.children().size(), 0);
    }

    void boundedMailboxHoldsBackAFastProducer()
    {
        QObject receiver;
        auto box = Mailbox::create(&receiver, 3);
        int applied = 0;
        for (int i = 0; i < 3; ++i)
            QVERIFY(box->postBounded([&applied] { ++applied; }));
        QVERIFY(!box->postBounded([&applied] { ++applied; })); // full: refused, not queued
        QCOMPARE(box->waitingBounded(), 3);
        QVERIFY(!box->waitForRoom(10));
        box->post([] {}); // control messages always pass
        // The receiver applies them: room again.
        QTRY_COMPARE(applied, 3);
        QVERIFY(box->waitForRoom(0));
        QCOMPARE(box->waitingBounded(), 0);
    }

    void boundedMailboxWakesAWaitingProducer()
    {
        QObject receiver;
        auto box = Mailbox::create(&receiver, 2);
        std::atomic<int> posted{0};
        int applied = 0;
        std::thread producer([&] {
            for (int i = 0; i < 50; ++i) {
                while (!box->postBounded([&applied] { ++applied; }))
                    box->waitForRoom(1000);
                ++posted;
            }
        });
        // Never more than the capacity waits on the receiver.
        for (int turns = 0; applied < 50 && turns < 100000; ++turns) {
            QVERIFY(box->waitingBounded() <= 2);
            QCoreApplication::processEvents();
        }
        producer.join();
        QTRY_COMPARE(applied, 50);
    }

    void mailboxClosedFromItsOwnCall()
    {
        QObject receiver;
        auto box = Mailbox::create(&receiver);
        int ran = 0;
        box->post([&] {
            ++ran;
            box->close();
        });
        box->post([&] { ++ran; });
        QTRY_VERIFY(box->isClosed());
        QCoreApplication::processEvents();
        QCOMPARE(ran, 1);
    }

    void cancellingThePoolDropsAnAnswerAlreadyOnItsWay()
    {
        JobPool pool(QStringLiteral("late"), 1);
        QObject context;
        bool delivered = false;
        auto job = pool.submit([](const JobToken &) { return 1; });
        job.then(&context, [&](int) { delivered = true; });
        job.wait(); // done, its answer waiting in the event queue
        pool.cancelAll();
        QVERIFY(job.isCancelled());
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
        // Jobs submitted after the cancel are not affected.
        bool later = false;
        pool.submit([](const JobToken &) { return 2; }).then(&context, [&](int) { later = true; });
        QTRY_VERIFY(later);
    }

    void aJobThatThrowsStillAnswers()
    {
        JobPool pool(QStringLiteral("throws"), 1);
        QObject context;
        int answer = -1;
        pool.submit([](const JobToken &) -> int { throw std::runtime_error("out of memory"); })
            .then(&context, [&](int v) { answer = v; });
        QTRY_COMPARE(answer, 0); // FailedAnswer<int>: a value-initialised int
        // The pool goes on.
        QCOMPARE(pool.submit([](const JobToken &) { return 5; }).result(), 5);
    }

    void parallelForPassesAStepsExceptionToItsCaller()
    {
        JobPool pool(QStringLiteral("parallel throws"), 3);
        std::atomic<int> steps{0};
        const bool caught = pool.submit([&](const JobToken &t) {
                                    try {
                                        parallelFor(t, 200, 2, [&](std::size_t i) {
                                            ++steps;
                                            if (i == 150)
                                                throw std::runtime_error("step 150");
                                        });
                                    } catch (const std::runtime_error &) {
                                        return true;
                                    }
                                    return false;
                                })
                                .result();
        QVERIFY(caught);
        QCOMPARE(steps.load(), 200); // every other step still ran, once
    }

    void mailboxKeepsOrderAcrossANestedEventLoop()
    {
        QObject receiver;
        auto box = Mailbox::create(&receiver);
        QList<int> got;
        box->post([&] {
            got.append(1);
            // While it turns the event loop (as a modal dialog does), a call is posted: it
            // must still come after those posted before it.
            box->post([&got] { got.append(4); });
            QCoreApplication::processEvents();
        });
        box->post([&got] { got.append(2); });
        box->post([&got] { got.append(3); });
        QTRY_COMPARE(got.size(), 4);
        QCOMPARE(got, (QList<int>{1, 2, 3, 4}));
    }

    void localPoolEndsWithTheApplicationOrOnRequest()
    {
        std::atomic<bool> ran{false};
        QCOMPARE(localPool()
                     .submit([&](const JobToken &) {
                         ran = true;
                         return 7;
                     })
                     .result(),
                 7);
        QVERIFY(ran);
        QVERIFY(localPool().maxThreads() >= 2);
        QVERIFY(shutdownLocalPool(20000));
        // Used again after: a fresh one.
        QCOMPARE(localPool().submit([](const JobToken &t) { return t.cancelled(); }).result(),
                 false);
    }
};

QTEST_GUILESS_MAIN(TestJobs)
#include "tst_core_jobs.moc"
