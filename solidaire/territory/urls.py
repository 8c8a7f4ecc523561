app_name = "territory"

urlpatterns = []
