"""The program's name as the user sees it, in window titles and message boxes."""

APP_NAME = "未保工作站"
