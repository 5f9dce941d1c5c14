<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="nl" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <location filename="../../workbench/ui/app.py" line="110" />
        <source>Fetching the inbox from the portal…</source>
        <translation>Inbox wordt opgehaald van het portaal…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="179" />
        <source>Workbench is not configured yet: the portal address is missing.

IT sets portal_url in the machine-wide file %1 (see the README, 'Configuration for IT').</source>
        <translation>Workbench is nog niet ingesteld: het adres van het portaal ontbreekt.

IT stelt portal_url in, in het computerbrede bestand %1 (zie de README, 'Configuration for IT').</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <location filename="../../workbench/ui/close_dialog.py" line="27" />
        <location filename="../../workbench/ui/close_dialog.py" line="46" />
        <source>Close e-consult</source>
        <translation>E-consult afsluiten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/close_dialog.py" line="29" />
        <source>Why is this e-consult closed?</source>
        <translation>Waarom wordt dit e-consult afgesloten?</translation>
    </message>
</context>
<context>
    <name>ConsultPane</name>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="99" />
        <source>Route to worklist…</source>
        <translation>Naar werklijst…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="101" />
        <source>Send back to assistants</source>
        <translation>Terug naar assistenten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="103" />
        <source>Invite to the surgery</source>
        <translation>Uitnodigen voor spreekuur</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="104" />
        <source>Close…</source>
        <translation>Afsluiten…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="112" />
        <location filename="../../workbench/ui/consult_pane.py" line="218" />
        <source>Select an e-consult</source>
        <translation>Kies een e-consult</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="131" />
        <source>Invited to the surgery</source>
        <translation>Uitgenodigd voor spreekuur</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="140" />
        <source>Note for the doctor</source>
        <translation>Notitie voor de arts</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="185" />
        <source>Urgency warning</source>
        <translation>Spoedwaarschuwing</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="193" />
        <source>Mark urgent</source>
        <translation>Markeer als spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="194" />
        <source>Not urgent</source>
        <translation>Geen spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="219" />
        <location filename="../../workbench/ui/consult_pane.py" line="228" />
        <source>This e-consult no longer exists</source>
        <translation>Dit e-consult bestaat niet meer</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="277" />
        <source>(no subject)</source>
        <translation>(geen onderwerp)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="281" />
        <source>Sent by {sender} ({relation}) on behalf of {patient}</source>
        <translation>Verstuurd door {sender} ({relation}) namens {patient}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="286" />
        <source>Sent by {sender} on behalf of {patient}</source>
        <translation>Verstuurd door {sender} namens {patient}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="288" />
        <source>Status: {status}</source>
        <translation>Status: {status}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="290" />
        <source>Assigned to {name}</source>
        <translation>Toegewezen aan {name}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="297" />
        <source>Closed as: {reason}</source>
        <translation>Afgesloten als: {reason}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="310" />
        <source>born {date}</source>
        <translation>geboren {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="313" />
        <source>BSN {bsn}</source>
        <translation>BSN {bsn}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="329" />
        <source>Marked urgent</source>
        <translation>Gemarkeerd als spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="330" />
        <source>Possible emergency: call the patient</source>
        <translation>Mogelijk spoed: bel de patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="331" />
        <source>{category}: “{words}”</source>
        <translation>{category}: “{words}”</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="349" />
        <source>Attachment: {title}</source>
        <translation>Bijlage: {title}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="352" />
        <source>Photo refused: {code}</source>
        <translation>Foto geweigerd: {code}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="354" />
        <source>Photo not yet received</source>
        <translation>Foto nog niet ontvangen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="362" />
        <source>Loading photo…</source>
        <translation>Foto laden…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="365" />
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="387" />
        <location filename="../../workbench/ui/consult_pane.py" line="401" />
        <source>Photo cannot be shown</source>
        <translation>Foto kan niet worden getoond</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="478" />
        <source>This e-consult no longer exists. It may have been removed from the portal.</source>
        <translation>Dit e-consult bestaat niet meer. Het is mogelijk van het portaal verwijderd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="480" />
        <source>An e-consult can only be routed to a GP or a practice nurse. Choose someone else.</source>
        <translation>Een e-consult kan alleen naar een huisarts of praktijkondersteuner. Kies iemand anders.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="482" />
        <source>Your name is not (or no longer) among the practice's staff. Choose who is working again, or ask IT.</source>
        <translation>Uw naam staat niet (meer) bij de medewerkers van de praktijk. Kies opnieuw wie er werkt, of vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="484" />
        <source>This e-consult is already closed.</source>
        <translation>Dit e-consult is al afgesloten.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="486" />
        <source>This action could not be done.</source>
        <translation>Deze handeling kon niet worden uitgevoerd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="492" />
        <source>Workbench</source>
        <translation>Workbench</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../workbench/ui/errors.py" line="13" />
        <source>Workbench is not set up completely; ask IT to check the configuration.</source>
        <translation>Workbench is niet volledig ingesteld; vraag IT de instellingen na te kijken.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="15" />
        <source>The portal address is not secure (https is required); ask IT.</source>
        <translation>Het adres van het portaal is niet beveiligd (https is verplicht); vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="17" />
        <source>The portal's certificate is not trusted; ask IT.</source>
        <translation>Het certificaat van het portaal wordt niet vertrouwd; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="18" />
        <source>The portal refused this workstation's login; ask IT.</source>
        <translation>Het portaal weigert de aanmelding van deze werkplek; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="19" />
        <source>The portal cannot be reached; Workbench tries again later.</source>
        <translation>Het portaal is niet bereikbaar; Workbench probeert het later opnieuw.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="21" />
        <source>The portal gave an unreadable answer; Workbench tries again later.</source>
        <translation>Het portaal gaf een onleesbaar antwoord; Workbench probeert het later opnieuw.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="23" />
        <source>The portal reported a problem; Workbench tries again later.</source>
        <translation>Het portaal meldde een probleem; Workbench probeert het later opnieuw.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="25" />
        <source>The database needs an upgrade; ask IT.</source>
        <translation>De database moet worden bijgewerkt; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="26" />
        <source>The database cannot be reached; ask IT.</source>
        <translation>De database is niet bereikbaar; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="27" />
        <source>The database reported a problem; ask IT.</source>
        <translation>De database meldde een probleem; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="28" />
        <source>Something unexpected went wrong; the details are in the log.</source>
        <translation>Er ging iets onverwachts mis; de details staan in het logbestand.</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="164" />
        <source>Urgent or possible emergency</source>
        <translation>Spoed of mogelijk spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="169" />
        <source>!</source>
        <translation>!</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="170" />
        <source>Received</source>
        <translation>Ontvangen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="171" />
        <source>Waiting</source>
        <translation>Wachttijd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="172" />
        <source>Patient</source>
        <translation>Patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="173" />
        <source>Via</source>
        <translation>Via</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="174" />
        <source>Subject</source>
        <translation>Onderwerp</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="175" />
        <source>Photos</source>
        <translation>Foto's</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="176" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="177" />
        <source>Assigned to</source>
        <translation>Toegewezen aan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="237" />
        <source>{name} ({age})</source>
        <translation>{name} ({age})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="247" />
        <source>{status} – invited</source>
        <translation>{status} – uitgenodigd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="258" />
        <source>{days} d {hours} h</source>
        <translation>{days} d {hours} u</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="260" />
        <source>{hours} h {minutes} min</source>
        <translation>{hours} u {minutes} min</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="261" />
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="266" />
        <source>Urgent</source>
        <translation>Spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="268" />
        <source>Possible emergency: alarm words in the text</source>
        <translation>Mogelijk spoed: alarmwoorden in de tekst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="271" />
        <source>Answer target: {days} working days</source>
        <translation>Antwoordtermijn: {days} werkdagen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="275" />
        <source>{target}. Past the target.</source>
        <translation>{target}. Termijn verstreken.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="277" />
        <source>{target}. Almost at the target.</source>
        <translation>{target}. Termijn bijna verstreken.</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <location filename="../../workbench/ui/inbox_view.py" line="57" />
        <source>Search messages…</source>
        <translation>Zoeken in berichten…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_view.py" line="59" />
        <source>Search messages</source>
        <translation>Zoeken in berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_view.py" line="68" />
        <source>E-consults</source>
        <translation>E-consulten</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../workbench/ui/labels.py" line="17" />
        <source>Inbox</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="18" />
        <source>Worklist</source>
        <translation>Werklijst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="19" />
        <source>Waiting for patient</source>
        <translation>Wacht op patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="20" />
        <source>Closed</source>
        <translation>Afgehandeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="26" />
        <source>GP</source>
        <translation>Huisarts</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="27" />
        <source>Practice nurse</source>
        <translation>Praktijkondersteuner</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="28" />
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="29" />
        <source>Staff</source>
        <translation>Medewerker</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="34" />
        <source>Normal</source>
        <translation>Normaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="34" />
        <source>Urgent</source>
        <translation>Spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="39" />
        <source>Answered</source>
        <translation>Beantwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="40" />
        <source>Referred</source>
        <translation>Doorverwezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="41" />
        <source>Handled by phone</source>
        <translation>Telefonisch afgehandeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="42" />
        <source>Duplicate</source>
        <translation>Dubbel</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="43" />
        <source>No action needed</source>
        <translation>Geen actie nodig</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="49" />
        <source>chest pain</source>
        <translation>pijn op de borst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="50" />
        <source>shortness of breath</source>
        <translation>benauwdheid</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="51" />
        <source>neurological loss</source>
        <translation>neurologische uitval</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="52" />
        <source>severe bleeding</source>
        <translation>ernstige bloeding</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="53" />
        <source>suicidal thoughts</source>
        <translation>suïcidale gedachten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="54" />
        <source>severe pain</source>
        <translation>hevige pijn</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="55" />
        <source>rapid worsening</source>
        <translation>snelle verslechtering</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="56" />
        <source>allergic reaction</source>
        <translation>allergische reactie</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="57" />
        <source>baby under 3 months with fever</source>
        <translation>baby jonger dan 3 maanden met koorts</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="58" />
        <source>second contact about the same complaint</source>
        <translation>tweede contact over dezelfde klacht</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="66" />
        <source>{years} years</source>
        <translation>{years} jaar</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="71" />
        <source>{months} mo</source>
        <translation>{months} mnd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="73" />
        <source>1 month</source>
        <translation>1 maand</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="74" />
        <source>{months} months</source>
        <translation>{months} maanden</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="60" />
        <source>Signed in as %1</source>
        <translation>Aangemeld als %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="84" />
        <source>&amp;File</source>
        <translation>&amp;Bestand</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="85" />
        <source>&amp;Pull now</source>
        <translation>Nu &amp;ophalen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="88" />
        <source>&amp;Switch user…</source>
        <translation>Andere &amp;gebruiker…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="91" />
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="94" />
        <source>&amp;E-consult</source>
        <translation>&amp;E-consult</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="95" />
        <source>&amp;Next item</source>
        <translation>&amp;Volgende</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="97" />
        <source>&amp;Previous item</source>
        <translation>V&amp;orige</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="107" />
        <source>&amp;View</source>
        <translation>Beel&amp;d</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="108" />
        <source>&amp;Search messages</source>
        <translation>&amp;Zoeken in berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="111" />
        <source>Go to &amp;inbox</source>
        <translation>Naar &amp;inbox</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="115" />
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="116" />
        <source>&amp;About Workbench</source>
        <translation>&amp;Over Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="156" />
        <source>%1 new e-consults</source>
        <translation>%1 nieuwe e-consulten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="163" />
        <source>Something went wrong</source>
        <translation>Er ging iets mis</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="164" />
        <source>An unexpected error occurred. Your work is saved; the details are in the log.</source>
        <translation>Er trad een onverwachte fout op. Uw werk is bewaard; de details staan in het logbestand.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="171" />
        <source>About Workbench</source>
        <translation>Over Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="172" />
        <source>Workbench %1: e-consult triage for GP practices.</source>
        <translation>Workbench %1: triage van e-consulten voor huisartsenpraktijken.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="175" />
        <source>Workbench – %1</source>
        <translation>Workbench – %1</translation>
    </message>
</context>
<context>
    <name>NavigationList</name>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="32" />
        <source>Lists</source>
        <translation>Lijsten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="34" />
        <source>Inbox</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="37" />
        <source>My worklist</source>
        <translation>Mijn werklijst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="41" />
        <source>Worklist {name}</source>
        <translation>Werklijst {name}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="43" />
        <source>Waiting for patient</source>
        <translation>Wacht op patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="44" />
        <source>Closed</source>
        <translation>Afgehandeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="83" />
        <source>{label} ({count})</source>
        <translation>{label} ({count})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="92" />
        <source>{count} unread</source>
        <translation>{count} ongelezen</translation>
    </message>
</context>
<context>
    <name>PullStatus</name>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="20" />
        <source>Last pull: never</source>
        <translation>Laatst opgehaald: nog niet</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="27" />
        <source>Pull now</source>
        <translation>Nu ophalen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="28" />
        <source>Fetch new e-consults from the portal (F5)</source>
        <translation>Nieuwe e-consulten ophalen van het portaal (F5)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="41" />
        <source>Pulling…</source>
        <translation>Bezig met ophalen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="47" />
        <source>Fetching photos %1 of %2</source>
        <translation>Foto's ophalen: %1 van %2</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="51" />
        <source>Pulling… %1 received</source>
        <translation>Bezig met ophalen… %1 ontvangen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="58" />
        <source>Another workstation is pulling</source>
        <translation>Een andere werkplek haalt nu op</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="60" />
        <source>Pulled, with %1 problems (see the log)</source>
        <translation>Opgehaald, met %1 problemen (zie het logbestand)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="63" />
        <source>%1 new e-consults</source>
        <translation>%1 nieuwe e-consulten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="66" />
        <source>Up to date</source>
        <translation>Bijgewerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="74" />
        <source>Last pull: %1</source>
        <translation>Laatst opgehaald: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="80" />
        <source>Next: %1</source>
        <translation>Volgende: %1</translation>
    </message>
</context>
<context>
    <name>RouteDialog</name>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="36" />
        <source>Route to worklist</source>
        <translation>Naar werklijst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="43" />
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="60" />
        <source>What should the doctor know or do?</source>
        <translation>Wat moet de arts weten of doen?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="61" />
        <source>Note for the doctor</source>
        <translation>Notitie voor de arts</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="64" />
        <source>&amp;To:</source>
        <translation>&amp;Aan:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="65" />
        <source>Priority:</source>
        <translation>Prioriteit:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="66" />
        <source>&amp;Note for the doctor:</source>
        <translation>&amp;Notitie voor de arts:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="75" />
        <source>Route</source>
        <translation>Doorsturen</translation>
    </message>
</context>
<context>
    <name>ThreadView</name>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="44" />
        <source>Messages</source>
        <translation>Berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="45" />
        <source>No messages</source>
        <translation>Geen berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="57" />
        <source>Patient or carer</source>
        <translation>Patiënt of naaste</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="60" />
        <source>Practice</source>
        <translation>Praktijk</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="62" />
        <source>Unknown sender</source>
        <translation>Onbekende afzender</translation>
    </message>
</context>
<context>
    <name>UserPicker</name>
    <message>
        <location filename="../../workbench/ui/user_picker.py" line="29" />
        <source>Who is working?</source>
        <translation>Wie werkt er?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/user_picker.py" line="33" />
        <source>Practitioners</source>
        <translation>Medewerkers</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/user_picker.py" line="36" />
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/user_picker.py" line="45" />
        <source>&amp;Who is working?</source>
        <translation>&amp;Wie werkt er?</translation>
    </message>
</context>
</TS>