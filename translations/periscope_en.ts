<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>JsonTree</name>
    <message numerus="yes">
        <source>[%n item(s)]</source>
        <translation>
            <numerusform>[%n item]</numerusform>
            <numerusform>[%n items]</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{%n member(s)}</source>
        <translation>
            <numerusform>{%n member}</numerusform>
            <numerusform>{%n members}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::app::Connections</name>
    <message numerus="yes">
        <source>Connected: %n broker(s), %1 topics</source>
        <translation>
            <numerusform>Connected: %n broker, %1 topics</numerusform>
            <numerusform>Connected: %n brokers, %1 topics</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::app::MainWindow</name>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::logging::LogHub</name>
    <message numerus="yes">
        <source>%n log line(s) dropped: the log view fell behind</source>
        <translation>
            <numerusform>%n log line dropped: the log view fell behind</numerusform>
            <numerusform>%n log lines dropped: the log view fell behind</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::models::GroupMembersModel</name>
    <message numerus="yes">
        <source>%n partition(s)</source>
        <translation>
            <numerusform>%n partition</numerusform>
            <numerusform>%n partitions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::models::GroupsModel</name>
    <message numerus="yes">
        <source>%1, %2 and %n more</source>
        <translation>
            <numerusform>%1, %2 and %n more</numerusform>
            <numerusform>%1, %2 and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::models::TopicsModel</name>
    <message numerus="yes">
        <source>%n partition(s) without offsets; the count covers the rest</source>
        <translation>
            <numerusform>%n partition without offsets; the count covers the rest</numerusform>
            <numerusform>%n partitions without offsets; the count covers the rest</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n partition(s) with fewer in-sync replicas than replicas</source>
        <translation>
            <numerusform>%n partition with fewer in-sync replicas than replicas</numerusform>
            <numerusform>%n partitions with fewer in-sync replicas than replicas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::widgets::AddPartitionsDialog</name>
    <message numerus="yes">
        <source>%n partition(s) will be added.</source>
        <translation>
            <numerusform>%n partition will be added.</numerusform>
            <numerusform>%n partitions will be added.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::widgets::CreateTopicDialog</name>
    <message numerus="yes">
        <source>(%n broker(s) in the cluster)</source>
        <translation>
            <numerusform>(%n broker in the cluster)</numerusform>
            <numerusform>(%n brokers in the cluster)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::widgets::GroupActions</name>
    <message numerus="yes">
        <source>Group %1: %n offset(s) reset.</source>
        <translation>
            <numerusform>Group %1: %n offset reset.</numerusform>
            <numerusform>Group %1: %n offsets reset.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>its committed offsets on %n partition(s) of %1</source>
        <translation>
            <numerusform>its committed offsets on %n partition of %1</numerusform>
            <numerusform>its committed offsets on %n partitions of %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> — it has %n member(s) now, so Kafka will refuse</source>
        <translation>
            <numerusform> — it has %n member now, so Kafka will refuse</numerusform>
            <numerusform> — it has %n members now, so Kafka will refuse</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::widgets::GroupsPane</name>
    <message numerus="yes">
        <source>%Ln group(s)</source>
        <translation>
            <numerusform>%Ln group</numerusform>
            <numerusform>%Ln groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%L1 of %Ln group(s)</source>
        <translation>
            <numerusform>%L1 of %Ln group</numerusform>
            <numerusform>%L1 of %Ln groups</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::widgets::MessageBrowserPane</name>
    <message numerus="yes">
        <source>%Ln message(s)</source>
        <translation>
            <numerusform>%Ln message</numerusform>
            <numerusform>%Ln messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::widgets::ResetOffsetsDialog</name>
    <message numerus="yes">
        <source>Group %1 is %2 with %n member(s). Kafka changes a group&apos;s offsets only while it is Empty: stop its consumers, wait until the group is Empty, then preview again. Nothing was written.</source>
        <translation>
            <numerusform>Group %1 is %2 with %n member. Kafka changes a group&apos;s offsets only while it is Empty: stop its consumers, wait until the group is Empty, then preview again. Nothing was written.</numerusform>
            <numerusform>Group %1 is %2 with %n members. Kafka changes a group&apos;s offsets only while it is Empty: stop its consumers, wait until the group is Empty, then preview again. Nothing was written.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Write %n offset(s)</source>
        <translation>
            <numerusform>Write %n offset</numerusform>
            <numerusform>Write %n offsets</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Writing %n offset(s)…</source>
        <translation>
            <numerusform>Writing %n offset…</numerusform>
            <numerusform>Writing %n offsets…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::widgets::TopicDetailPane</name>
    <message numerus="yes">
        <source>%n partition(s)</source>
        <translation>
            <numerusform>%n partition</numerusform>
            <numerusform>%n partitions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n under-replicated</source>
        <translation>
            <numerusform>%n under-replicated</numerusform>
            <numerusform>%n under-replicated</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>periscope::widgets::TopicsPane</name>
    <message numerus="yes">
        <source>%Ln topic(s)</source>
        <translation>
            <numerusform>%Ln topic</numerusform>
            <numerusform>%Ln topics</numerusform>
        </translation>
    </message>
</context>
</TS>
