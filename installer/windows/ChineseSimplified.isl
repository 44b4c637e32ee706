; Simplified Chinese texts for the screens a clerk sees in the 未保工作站 installer.
; Loaded after Default.isl, so any message not listed here stays in English.

[LangOptions]
LanguageName=简体中文
LanguageID=$0804
LanguageCodePage=0
DialogFontName=Microsoft YaHei UI
DialogFontSize=9
WelcomeFontName=Microsoft YaHei UI
WelcomeFontSize=12

[Messages]
SetupAppTitle=安装
SetupWindowTitle=安装 - %1
UninstallAppTitle=卸载
UninstallAppFullTitle=%1 卸载
ButtonBack=< 上一步(&B)
ButtonNext=下一步(&N) >
ButtonInstall=安装(&I)
ButtonOK=确定
ButtonCancel=取消
ButtonYes=是(&Y)
ButtonNo=否(&N)
ButtonFinish=完成(&F)
ButtonBrowse=浏览(&R)...
ExitSetupTitle=退出安装
ExitSetupMessage=安装尚未完成。如果现在退出，程序将不会被安装。%n%n您可以以后再运行安装程序完成安装。%n%n确定退出安装吗？
WelcomeLabel1=欢迎安装 [name]
WelcomeLabel2=安装程序将在您的电脑上安装 [name/ver]。%n%n建议先关闭其他正在运行的程序。
WizardSelectDir=选择安装位置
SelectDirDesc=[name] 要安装到哪里？
SelectDirLabel3=安装程序将把 [name] 安装到下面的文件夹。
SelectDirBrowseLabel=点“下一步”继续。如需选择其他文件夹，请点“浏览”。
WizardSelectTasks=选择附加任务
SelectTasksDesc=需要执行哪些附加任务？
SelectTasksLabel2=选择安装 [name] 时要执行的附加任务，然后点“下一步”。
WizardReady=准备安装
ReadyLabel1=安装程序已准备好在您的电脑上安装 [name]。
ReadyLabel2a=点“安装”开始安装；如需查看或修改设置，请点“上一步”。
WizardInstalling=正在安装
InstallingLabel=正在安装 [name]，请稍候。
FinishedHeadingLabel=[name] 安装完成
FinishedLabelNoIcons=[name] 已安装到您的电脑上。
FinishedLabel=[name] 已安装到您的电脑上。可以通过已建立的快捷方式打开程序。
ClickFinish=点“完成”退出安装程序。
StatusExtractFiles=正在复制文件...
StatusCreateIcons=正在创建快捷方式...
ConfirmUninstall=确定要卸载 %1 吗？程序会被删除，您的数据文件夹和备份会保留。
UninstallStatusLabel=正在卸载 %1，请稍候。
UninstalledAll=%1 已从您的电脑上卸载。数据文件夹仍然保留。
DiskSpaceMBLabel=至少需要 [mb] MB 可用磁盘空间。

[CustomMessages]
CreateDesktopIcon=创建桌面快捷方式(&D)
AdditionalIcons=附加快捷方式：
LaunchProgram=运行 %1
