// What the job mechanism costs and how promptly work stops:
// - job_roundtrip: a job's answer back on the GUI thread, against a plain thread that posts
//   back with QMetaObject::invokeMethod;
// - demo_stop, disconnect_in_flight: GUI-thread time to stop the demo data, and to let go of
//   a cluster with 20 requests in flight, both with the broker frozen (so nothing finishes),
//   against one turn of an idle event loop;
// - quit_wait: how long quitting waits for a console's work to end (a live tail and the lag
//   sampler running), against destroying one idle librdkafka consumer.
#include "benchutil.h"
#include "client/browsesession.h"
#include "client/clustersession.h"
#include "client/demodata.h"
#include "jobs/jobpool.h"
#include "jobs/localpool.h"
#include "kafka.h"
#include "shutdown.h"
#include "testbroker.h"
#include "testclient.h"

#include <QCoreApplication>
#include <QTest>
#include <thread>

using namespace periscope;
using bench::median;
using bench::ms;

namespace {

constexpr int kRounds = 200;

double jobRoundTrip()
{
    jobs::JobPool pool(QStringLiteral("bench"), 2);
    QObject context;
    std::vector<double> samples;
    for (int i = 0; i < kRounds; ++i) {
        QElapsedTimer t;
        t.start();
        bool done = false;
        pool.submit([](const jobs::JobToken &) { return 1; }).then(&context, [&](int) {
            done = true;
        });
        while (!done)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        samples.push_back(ms(t));
    }
    return median(samples);
}

double plainRoundTrip()
{
    QObject context;
    std::vector<double> samples;
    for (int i = 0; i < kRounds; ++i) {
        QElapsedTimer t;
        t.start();
        bool done = false;
        std::thread([&context, &done] {
            QMetaObject::invokeMethod(
                &context, [&done] { done = true; }, Qt::QueuedConnection);
        }).detach();
        while (!done)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        samples.push_back(ms(t));
    }
    return median(samples);
}

double idleTurn()
{
    std::vector<double> samples;
    for (int i = 0; i < kRounds; ++i) {
        QElapsedTimer t;
        t.start();
        QCoreApplication::processEvents();
        samples.push_back(ms(t));
    }
    return median(samples);
}

double demoStop(test::TestBroker &broker)
{
    std::vector<double> samples;
    for (int i = 0; i < 5; ++i) {
        auto demo = std::make_unique<client::DemoData>(broker.bootstrap());
        demo->start();
        QTest::qWait(200); // somewhere inside its seeding
        broker.freeze();
        QElapsedTimer t;
        t.start();
        demo->stop();
        demo.reset();
        samples.push_back(ms(t));
        broker.thaw();
    }
    return median(samples);
}

double disconnectInFlight(test::TestBroker &broker)
{
    std::vector<double> samples;
    for (int i = 0; i < 5; ++i) {
        auto session =
            std::make_unique<client::ClusterSession>(test::testSettings(broker.bootstrap()), false);
        session->open();
        if (!QTest::qWaitFor(
                [&] {
                    return session->client()->state() == client::ClusterClient::State::Connected;
                },
                20000))
            bench::fail("bench_jobs", QStringLiteral("no connection"));
        broker.freeze();
        for (int r = 0; r < 20; ++r)
            session->client()->metadata();
        QElapsedTimer t;
        t.start();
        session->close();
        session.reset();
        samples.push_back(ms(t));
        broker.thaw();
    }
    return median(samples);
}

double quitWait(test::TestBroker &broker)
{
    std::vector<double> samples;
    for (int i = 0; i < 3; ++i) {
        {
            client::ClusterSession session(test::testSettings(broker.bootstrap()), false);
            session.open();
            client::BrowseRequest follow;
            follow.topic = QStringLiteral("bench");
            follow.stop = client::BrowseRequest::Stop::Follow;
            client::BrowseSession tail(session.client(), follow);
            tail.start();
            session.refresh();
            QTest::qWait(500);
        }
        QElapsedTimer t;
        t.start();
        if (!app::endBackgroundWork(30000))
            bench::fail("bench_jobs", QStringLiteral("background work did not end"));
        samples.push_back(ms(t));
    }
    return median(samples);
}

double destroyIdleConsumer(test::TestBroker &broker)
{
    std::vector<double> samples;
    for (int i = 0; i < 3; ++i) {
        test::KafkaHandle consumer =
            test::makeConsumer(broker.bootstrapStd(), {{"group.id", "bench-idle"}});
        QTest::qWait(500);
        QElapsedTimer t;
        t.start();
        consumer.reset();
        samples.push_back(ms(t));
    }
    return median(samples);
}

} // namespace

int main(int argc, char *argv[])
{
    bench::preferOffscreen();
    QCoreApplication app(argc, argv);
    test::TestBroker broker;
    if (!broker.start())
        bench::fail("bench_jobs", QStringLiteral("the broker did not start"));
    {
        auto admin = test::makeAdmin(broker.bootstrapStd());
        test::createTopic(admin.get(), "bench", 3);
    }
    bench::report("job_roundtrip", jobRoundTrip(), "ms", "thread_invoke", plainRoundTrip());
    const double turn = idleTurn();
    bench::report("demo_stop", demoStop(broker), "ms", "idle_event_turn", turn);
    bench::report("disconnect_in_flight", disconnectInFlight(broker), "ms", "idle_event_turn",
                  turn);
    bench::report("quit_wait", quitWait(broker), "ms", "destroy_idle_consumer",
                  destroyIdleConsumer(broker));
    return 0;
}
