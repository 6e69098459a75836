[% extends "pyapp.nsi" %]
[#- pynsist's installer, plus: .pmqa files open with the program; the file association is
    written for the user who installs (HKCU), or for all users when installed for all. -#]

[% block install_commands %]
[[ super() ]]
  WriteRegStr SHCTX "Software\Classes\.pmqa" "" "PMQADesktop.Database"
  WriteRegStr SHCTX "Software\Classes\PMQADesktop.Database" "" "PMQA Desktop database"
  WriteRegStr SHCTX "Software\Classes\PMQADesktop.Database\DefaultIcon" "" "$INSTDIR\${PRODUCT_ICON}"
  WriteRegStr SHCTX "Software\Classes\PMQADesktop.Database\shell\open\command" "" \
    '"$INSTDIR\Python\pythonw.exe" "$INSTDIR\pmqa_desktop_start.pyw" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
[% endblock install_commands %]

[% block uninstall_commands %]
[[ super() ]]
  DeleteRegKey SHCTX "Software\Classes\PMQADesktop.Database"
  ReadRegStr $0 SHCTX "Software\Classes\.pmqa" ""
  StrCmp $0 "PMQADesktop.Database" 0 +2
    DeleteRegKey SHCTX "Software\Classes\.pmqa"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
[% endblock uninstall_commands %]
