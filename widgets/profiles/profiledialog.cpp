#include "profiles/profiledialog.h"

#include "profiles/presets.h"
#include "profiles/profilefields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace periscope::widgets {

using profiles::Profile;
using profiles::Secrets;
using Protocol = Profile::SecurityProtocol;
using Mechanism = Profile::SaslMechanism;

namespace {

QLineEdit *lineEdit(const char *objectName, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QString::fromLatin1(objectName));
    return edit;
}

QLabel *messageLabel(const char *objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(objectName));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ProfileDialog::ProfileDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connection Profile"));
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->addWidget(buildConnectionBox());
    column->addWidget(buildSaslBox());
    column->addWidget(buildTlsBox());
    auto *extrasBox = new QGroupBox(tr("Extra librdkafka properties"), content);
    m_extrasEditor = new PropertiesEditor(extrasBox);
    (new QVBoxLayout(extrasBox))->addWidget(m_extrasEditor);
    column->addWidget(extrasBox);
    column->addStretch();
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    m_testButton = new QPushButton(tr("Test connection"), this);
    m_testButton->setObjectName(QStringLiteral("testButton"));
    m_testLabel = messageLabel("testLabel", this);
    m_secretsLabel = messageLabel("secretsLabel", this);
    m_validationLabel = messageLabel("validationLabel", this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton);
    testRow->addWidget(m_testLabel, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addLayout(testRow);
    layout->addWidget(m_secretsLabel);
    layout->addWidget(m_validationLabel);
    layout->addWidget(m_buttons);
    resize(560, 680);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_testButton, &QPushButton::clicked, this, [this] {
        m_testPending = true;
        m_testLabel->setText(tr("Testing…"));
        updateState();
        Q_EMIT testConnectionRequested(profile(), secrets());
    });
    connectEdits();
    setProfile({}, {});
}

QWidget *ProfileDialog::buildConnectionBox()
{
    auto *box = new QGroupBox(tr("Connection"));
    m_presetCombo = new QComboBox(box);
    m_presetCombo->setObjectName(QStringLiteral("presetCombo"));
    m_presetCombo->addItem(tr("Preset…"));
    for (const profiles::Preset &preset : profiles::presets())
        m_presetCombo->addItem(preset.name, preset.id);
    auto *importButton = new QPushButton(tr("Import…"), box);
    importButton->setObjectName(QStringLiteral("importButton"));
    importButton->setToolTip(tr("Read a Java client.properties or a kcat configuration file"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_presetCombo, 1);
    top->addWidget(importButton);
    m_presetHint = messageLabel("presetHint", box);
    m_importLabel = messageLabel("importLabel", box);

    m_nameEdit = lineEdit("nameEdit", box);
    m_bootstrapEdit = lineEdit("bootstrapEdit", box);
    m_bootstrapEdit->setPlaceholderText(QStringLiteral("host1:9092,host2:9092"));
    m_protocolCombo = new QComboBox(box);
    m_protocolCombo->setObjectName(QStringLiteral("protocolCombo"));
    m_protocolCombo->addItem(QStringLiteral("PLAINTEXT"), int(Protocol::Plaintext));
    m_protocolCombo->addItem(QStringLiteral("SSL"), int(Protocol::Ssl));
    m_protocolCombo->addItem(QStringLiteral("SASL_PLAINTEXT"), int(Protocol::SaslPlaintext));
    m_protocolCombo->addItem(QStringLiteral("SASL_SSL"), int(Protocol::SaslSsl));
    m_readOnlyCheck = new QCheckBox(tr("Read-only: disable changes to the cluster"), box);
    m_readOnlyCheck->setObjectName(QStringLiteral("readOnlyCheck"));
    m_colourButton = new QPushButton(box);
    m_colourButton->setObjectName(QStringLiteral("colourButton"));
    auto *clearColour = new QPushButton(tr("None"), box);
    clearColour->setObjectName(QStringLiteral("clearColourButton"));
    auto *colourRow = new QHBoxLayout;
    colourRow->addWidget(m_colourButton);
    colourRow->addWidget(clearColour);
    colourRow->addStretch();

    auto *form = new QFormLayout(box);
    form->addRow(top);
    form->addRow(m_presetHint);
    form->addRow(m_importLabel);
    form->addRow(tr("&Name:"), m_nameEdit);
    form->addRow(tr("&Bootstrap servers:"), m_bootstrapEdit);
    form->addRow(tr("Security &protocol:"), m_protocolCombo);
    form->addRow(tr("Colour:"), colourRow);
    form->addRow(m_readOnlyCheck);

    connect(m_presetCombo, &QComboBox::activated, this,
            [this](int index) { applyPreset(m_presetCombo->itemData(index).toString()); });
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Import Client Configuration"), {},
            tr("Client configuration (*.properties *.conf *.config *.cfg);;All files (*)"));
        if (!path.isEmpty())
            importFile(path);
    });
    connect(m_colourButton, &QPushButton::clicked, this, &ProfileDialog::chooseColour);
    connect(clearColour, &QPushButton::clicked, this, [this] { setColour({}); });
    return box;
}

QWidget *ProfileDialog::buildSaslBox()
{
    m_saslBox = new QGroupBox(tr("Authentication (SASL)"));
    m_mechanismCombo = new QComboBox(m_saslBox);
    m_mechanismCombo->setObjectName(QStringLiteral("mechanismCombo"));
    m_mechanismCombo->addItem(QStringLiteral("PLAIN"), int(Mechanism::Plain));
    m_mechanismCombo->addItem(QStringLiteral("SCRAM-SHA-256"), int(Mechanism::ScramSha256));
    m_mechanismCombo->addItem(QStringLiteral("SCRAM-SHA-512"), int(Mechanism::ScramSha512));
    m_mechanismCombo->addItem(tr("OAUTHBEARER (OIDC)"), int(Mechanism::OAuthBearer));
    m_mechanismCombo->addItem(tr("GSSAPI (Kerberos)"), int(Mechanism::Gssapi));
    m_usernameEdit = lineEdit("usernameEdit", m_saslBox);
    m_passwordEdit = new SecretEdit(QStringLiteral("passwordEdit"), m_saslBox);
    m_oauthEndpointEdit = lineEdit("oauthEndpointEdit", m_saslBox);
    m_oauthEndpointEdit->setPlaceholderText(QStringLiteral("https://idp.example.com/oauth2/token"));
    m_oauthClientIdEdit = lineEdit("oauthClientIdEdit", m_saslBox);
    m_oauthSecretEdit = new SecretEdit(QStringLiteral("oauthSecretEdit"), m_saslBox);
    m_oauthScopeEdit = lineEdit("oauthScopeEdit", m_saslBox);
    m_kerberosServiceEdit = lineEdit("kerberosServiceEdit", m_saslBox);
    m_kerberosServiceEdit->setPlaceholderText(QStringLiteral("kafka"));
    m_kerberosPrincipalEdit = lineEdit("kerberosPrincipalEdit", m_saslBox);
    m_kerberosKeytabEdit =
        new PathEdit(QStringLiteral("kerberosKeytabEdit"), tr("Choose Keytab"), m_saslBox);

    m_saslForm = new QFormLayout(m_saslBox);
    m_saslForm->addRow(tr("&Mechanism:"), m_mechanismCombo);
    m_saslForm->addRow(tr("&Username:"), m_usernameEdit);
    m_saslForm->addRow(tr("Pass&word:"), m_passwordEdit);
    m_saslForm->addRow(tr("Token endpoint:"), m_oauthEndpointEdit);
    m_saslForm->addRow(tr("Client ID:"), m_oauthClientIdEdit);
    m_saslForm->addRow(tr("Client secret:"), m_oauthSecretEdit);
    m_saslForm->addRow(tr("Scope:"), m_oauthScopeEdit);
    m_saslForm->addRow(tr("Service name:"), m_kerberosServiceEdit);
    m_saslForm->addRow(tr("Principal:"), m_kerberosPrincipalEdit);
    m_saslForm->addRow(tr("Keytab:"), m_kerberosKeytabEdit);
    return m_saslBox;
}

QWidget *ProfileDialog::buildTlsBox()
{
    m_tlsBox = new QGroupBox(tr("TLS"));
    m_caEdit = new PathEdit(QStringLiteral("caFileEdit"), tr("Choose CA Certificate"), m_tlsBox);
    m_caEdit->lineEdit()->setPlaceholderText(tr("system certificates"));
    m_certEdit =
        new PathEdit(QStringLiteral("certFileEdit"), tr("Choose Client Certificate"), m_tlsBox);
    m_keyEdit = new PathEdit(QStringLiteral("keyFileEdit"), tr("Choose Private Key"), m_tlsBox);
    m_keyPasswordEdit = new SecretEdit(QStringLiteral("keyPasswordEdit"), m_tlsBox);
    m_verifyCheck = new QCheckBox(tr("Verify the broker's host name"), m_tlsBox);
    m_verifyCheck->setObjectName(QStringLiteral("verifyHostnameCheck"));

    auto *form = new QFormLayout(m_tlsBox);
    form->addRow(tr("CA certificate (PEM):"), m_caEdit);
    form->addRow(tr("Client certificate:"), m_certEdit);
    form->addRow(tr("Client key:"), m_keyEdit);
    form->addRow(tr("Key password:"), m_keyPasswordEdit);
    form->addRow(m_verifyCheck);
    return m_tlsBox;
}

void ProfileDialog::connectEdits()
{
    const auto update = [this] { updateState(); };
    for (QLineEdit *edit : {m_nameEdit, m_bootstrapEdit})
        connect(edit, &QLineEdit::textChanged, this, update);
    for (QComboBox *combo : {m_protocolCombo, m_mechanismCombo})
        connect(combo, &QComboBox::currentIndexChanged, this, update);
    connect(m_extrasEditor, &PropertiesEditor::changed, this, update);
    connect(m_passwordEdit, &SecretEdit::textEdited, this, &ProfileDialog::fillEventHubsBootstrap);
}

} // namespace periscope::widgets
